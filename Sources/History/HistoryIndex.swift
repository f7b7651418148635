import Git
import SOPCore

/// The history of every file under a folder, built in one walk over the commit graph reachable from HEAD.
///
/// The truth is `git log --follow -- PATH` (default history simplification, 50 % rename similarity, author dates) with
/// deliberate differences: a copy is not a rename (field case B14), and a deleted file is the rename source of its
/// best match only. Merge commits add entries only when they change a file relative to every parent (git's rule for
/// showing a merge in a path's history); the commits on each side are reached by the walk anyway.
///
/// Each (commit, document) pair is classified (`ChangeKind`): blobs are read only for the paths a commit changed, so
/// the cost grows with changes, not with the size of the repository.
///
/// Complexity: one tree comparison per commit, O(commits × changed paths); no per-file walk.
public struct HistoryIndex: Sendable {
    /// HEAD's commit id, nil for a repository with no commits.
    public let head: String?
    /// Number of commits walked (merges included).
    public let commitCount: Int
    /// Reviews recorded by `Reviewed:` trailers, newest first.
    public let reviewTrailers: [ReviewTrailer]
    /// True when built from a shallow clone with `allowShallow`: every page says its history is incomplete.
    public let isShallow: Bool
    private let documents: [RepoPath: DocumentHistory]

    public init(head: String?, commitCount: Int, documents: [RepoPath: DocumentHistory], reviewTrailers: [ReviewTrailer] = [],
                isShallow: Bool = false) {
        self.isShallow = isShallow
        self.head = head
        self.commitCount = commitCount
        self.documents = documents
        self.reviewTrailers = reviewTrailers
    }

    /// The history of the file at `path` (as it is at HEAD); nil when HEAD has no such file.
    public subscript(path: RepoPath) -> DocumentHistory? { documents[path] }

    /// Paths at HEAD that have a history, sorted.
    public var paths: [RepoPath] { documents.keys.sorted() }

    /// Options for `build`.
    public struct Options: Sendable {
        /// Only files under this folder ("" for the whole repository) are indexed; renames from outside it are followed.
        public var folder: RepoPath
        /// Which files at HEAD get a history (default: Markdown files).
        public var includes: @Sendable (RepoPath) -> Bool
        /// Full commit ids whose changes count as neither revision nor review (`.git-blame-ignore-revs`).
        public var ignoredRevisions: Set<String>
        /// Walk a shallow clone as far as it goes instead of refusing it (`--allow-shallow`).
        public var allowShallow = false

        public init(folder: RepoPath = RepoPath(""), includes: @escaping @Sendable (RepoPath) -> Bool = HistoryIndex.isMarkdown,
                    ignoredRevisions: Set<String> = []) {
            self.folder = folder
            self.includes = includes
            self.ignoredRevisions = ignoredRevisions
        }

        public static let `default` = Options()
    }

    @Sendable public static func isMarkdown(_ path: RepoPath) -> Bool {
        let name = path.fileName.lowercased()
        return name.hasSuffix(".md") || name.hasSuffix(".markdown")
    }

    /// Parses an ignore-revs file (`.git-blame-ignore-revs` format: one full commit id per line, `#` comments).
    /// - Returns: the ids, and a warning for each line that is not a full commit id.
    public static func ignoredRevisions(in text: String, path: RepoPath) -> Diagnosed<Set<String>> {
        var ids: Set<String> = []
        var diagnostics: [Diagnostic] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if line.isEmpty { continue }
            if line.count == 40, line.allSatisfy(\.isHexDigit) {
                ids.insert(line.lowercased())
            } else {
                diagnostics.append(.warning("history.ignore-revs", "\"\(line)\" is not a full 40-digit commit id; the line is ignored",
                                            at: SourceLocation(path, line: index + 1), fix: "write the full id, as `git rev-parse` prints it"))
            }
        }
        return Diagnosed(ids, diagnostics: diagnostics)
    }

    /// Walks the repository once and returns the history of every matching file present at HEAD.
    /// - Returns: the index, plus diagnostics: an error for a shallow clone (its history stops early, so creation dates
    ///   would be wrong; field case B01), a warning for a repository without commits.
    /// - Throws: `GitError` when libgit2 fails, including a walk that ends early.
    public static func build(from repository: Repository, options: Options = .default) throws(GitError) -> Diagnosed<HistoryIndex> {
        var cache = HistoryCache()
        return try build(from: repository, options: options, cache: &cache)
    }

    /// `build(from:options:)`, reusing and extending what earlier builds learned (`cache`); the result is the same as
    /// without a cache, which tests check.
    public static func build(from repository: Repository, options: Options = .default,
                             cache: inout HistoryCache) throws(GitError) -> Diagnosed<HistoryIndex> {
        let root = SourceLocation(RepoPath(""))
        guard let head = try repository.headCommit() else {
            return Diagnosed(HistoryIndex(head: nil, commitCount: 0, documents: [:]), diagnostics: [
                .warning("history.no-commits", "HEAD has no commits yet (an empty repository, or HEAD on a branch without commits), "
                         + "so no page has a history", at: root,
                         fix: "commit the content, or check out the branch that holds it, to give pages revisions and review dates"),
            ])
        }
        var diagnostics: [Diagnostic] = []
        if repository.isShallow && options.allowShallow {
            diagnostics.append(.warning("history.shallow-clone", "the repository is a shallow clone: histories stop at its boundary, so "
                                        + "creation dates, revisions and contributors of older pages are incomplete", at: root,
                                        fix: "fetch the whole history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0`)"))
        } else if repository.isShallow {
            return Diagnosed(HistoryIndex(head: head.hex, commitCount: 0, documents: [:]), diagnostics: [
                .error("history.shallow-clone", "the repository is a shallow clone: its history stops early, so creation dates, "
                       + "revisions and contributors would be wrong", at: root,
                       fix: "fetch the whole history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0`)"),
            ])
        }
        if repository.isHeadDetached {
            diagnostics.append(.warning("history.detached-head", "HEAD is detached at \(head.hex.prefix(10)), not on a branch; "
                                        + "the site shows the history of that commit", at: root,
                                        fix: "check out a branch if you meant to build one (CI checkouts of pull requests are detached: that is fine)"))
        }
        var walker = Walker(repository: repository, mailmap: try repository.mailmap(), options: options, cache: cache)
        try walker.run(from: head, shallow: repository.isShallow)
        cache = walker.cache
        return Diagnosed(HistoryIndex(head: head.hex, commitCount: walker.commitCount, documents: walker.documents(),
                                      reviewTrailers: walker.trailers,
                                      isShallow: repository.isShallow), diagnostics: diagnostics)
    }
}

/// The state of the one walk: which documents follow which path, and what was recorded for each.
private struct Walker {
    let repository: Repository
    let mailmap: Mailmap
    let options: HistoryIndex.Options
    private(set) var commitCount = 0
    private(set) var trailers: [ReviewTrailer] = []
    private var headFiles: [TreeFile] = []
    /// Walking backwards from HEAD: the path a document has at the commit being visited → the documents following it.
    /// A path can be followed by two documents: a file re-created where another was renamed away inherits the older
    /// history of the path, as `git log --follow` shows it.
    private var tracked: [RepoPath: [Int]] = [:]
    private var records: [[CommitRecord]] = []
    private var identities: [String: (name: String, email: String)] = [:]
    private var blobs = BlobCache()
    private(set) var cache: HistoryCache

    init(repository: Repository, mailmap: Mailmap, options: HistoryIndex.Options, cache: HistoryCache) {
        self.repository = repository
        self.mailmap = mailmap
        self.options = options
        self.cache = cache
    }

    mutating func run(from head: ObjectID, shallow: Bool) throws(GitError) {
        headFiles = try repository.files(in: repository.treeID(of: head), under: options.folder)
            .filter { !$0.isSymlink && options.includes($0.path) }
        records = Array(repeating: [], count: headFiles.count)
        for (index, file) in headFiles.enumerated() { tracked[file.path] = [index] }

        var commits: [CommitInfo]
        var boundary: Set<ObjectID> = []
        if shallow {
            (commits, boundary) = try repository.walkAllowingMissingParents(from: head)
        } else {
            commits = try repository.walk(from: head)
        }
        commitCount = commits.count
        for commit in commits {
            // A shallow clone's boundary commit looks as if it created every file; what it changed is unknown (B01).
            if boundary.contains(commit.id) { continue }
            let isIgnored = options.ignoredRevisions.contains(commit.id.hex)
            if !isIgnored, commit.message.contains(":") { collectTrailers(commit) }
            if tracked.isEmpty { continue }
            if commit.isMerge {
                try visitMerge(commit, isIgnored: isIgnored)
            } else {
                try visit(commit, isIgnored: isIgnored)
            }
        }
    }

    func documents() -> [RepoPath: DocumentHistory] {
        var result: [RepoPath: DocumentHistory] = [:]
        for (index, file) in headFiles.enumerated() where !records[index].isEmpty {
            result[file.path] = DocumentHistory(path: file.path, headBlob: file.blob.hex, commits: records[index])
        }
        return result
    }

    private mutating func visit(_ commit: CommitInfo, isIgnored: Bool) throws(GitError) {
        let changes = try cache.changes(in: commit.id, parent: commit.parents.first, repository: repository)
        var moves: [(from: RepoPath, documents: [Int])] = []
        for change in changes {
            if let from = change.renamedFrom {
                // Seen from the old path, a rename away is a deletion (`git log --follow` lists it as D there).
                for document in tracked[from] ?? [] {
                    record(document, commit, path: from, effect: .deleted, kind: isIgnored ? .ignored : .deleted, blob: nil, isIgnored: isIgnored)
                }
            }
            guard let documents = tracked[change.path] else { continue }
            let kind = isIgnored && change.kind != .added ? .ignored : try classify(change)
            let effect: CommitRecord.Effect
            switch change.kind {
            case .added: effect = .added
            case .modified: effect = .modified
            case .deleted: effect = .deleted
            case .renamed(let from, _): effect = .renamed(from: from)
            }
            for document in documents {
                record(document, commit, path: change.path, effect: effect, kind: kind, blob: change.newBlob?.hex, isIgnored: isIgnored)
            }
            if let from = change.renamedFrom {
                tracked[change.path] = nil
                moves.append((from, documents))
            }
        }
        // Applied after the loop so that a swap (a → b, b → a) in one commit hands each document its own old path.
        for move in moves { tracked[move.from, default: []].append(contentsOf: move.documents) }
    }

    /// A merge enters a document's history only when it changed the file relative to every parent (git's rule for
    /// showing a merge in `git log -- PATH`); a clean merge is simplified away and its side's commits speak for it.
    private mutating func visitMerge(_ commit: CommitInfo, isIgnored: Bool) throws(GitError) {
        guard let first = commit.parents.first else { return }
        for change in try cache.changes(in: commit.id, parent: first, repository: repository) where change.kind == .modified {
            guard let documents = tracked[change.path], let blob = change.newBlob else { continue }
            var differsFromAll = true
            for parent in commit.parents.dropFirst() where try cache.blobID(at: change.path, in: parent, repository: repository) == blob {
                differsFromAll = false
            }
            guard differsFromAll else { continue }
            let kind = isIgnored ? .ignored : try classify(change)
            for document in documents {
                record(document, commit, path: change.path, effect: .modified, kind: kind, blob: blob.hex, isMerge: true, isIgnored: isIgnored)
            }
        }
    }

    private mutating func classify(_ change: FileChange) throws(GitError) -> ChangeKind {
        switch change.kind {
        case .added: return .created
        case .deleted: return .deleted
        case .modified, .renamed:
            guard let old = change.oldBlob, let new = change.newBlob else { return .content }
            if old == new { return .unchanged }
            let repository = repository
            return try cache.kind(old: old, new: new) { () throws(GitError) in
                ContentClassifier.classify(old: try blobs.bytes(old, in: repository), new: try blobs.bytes(new, in: repository))
            }
        }
    }

    private mutating func record(_ document: Int, _ commit: CommitInfo, path: RepoPath, effect: CommitRecord.Effect,
                                 kind: ChangeKind, blob: String?, isMerge: Bool = false, isIgnored: Bool) {
        let author = identity(commit.author.name, commit.author.email)
        records[document].append(CommitRecord(
            id: commit.id.hex, authorName: author.name, authorEmail: author.email, authorTime: commit.author.time,
            committerTime: commit.committer.time, subject: commit.subject, path: path, effect: effect, kind: kind,
            blob: blob, isMerge: isMerge, isIgnored: isIgnored))
    }

    private mutating func identity(_ name: String, _ email: String) -> (name: String, email: String) {
        let key = name + "\u{0}" + email
        if let known = identities[key] { return known }
        let resolved = mailmap.resolve(name: name, email: email)
        identities[key] = resolved
        return resolved
    }

    /// `Reviewed: SOP-A, SOP-B` and an optional `Reviewed-by: Name <email>`, parsed with libgit2's trailer parser.
    private mutating func collectTrailers(_ commit: CommitInfo) {
        let parsed = Repository.trailers(of: commit.message)
        let ids = parsed.filter { $0.key.caseInsensitiveCompare("Reviewed") == .orderedSame }
            .flatMap { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
        guard !ids.isEmpty else { return }
        var reviewer = identity(commit.author.name, commit.author.email)
        if let by = parsed.last(where: { $0.key.caseInsensitiveCompare("Reviewed-by") == .orderedSame })?.value {
            let person = Self.person(by)
            reviewer = identity(person.name, person.email)
        }
        trailers.append(ReviewTrailer(commitID: commit.id.hex, ids: ids, reviewerName: reviewer.name, reviewerEmail: reviewer.email,
                                      time: commit.author.time, subject: commit.subject, note: Self.note(of: commit.message)))
    }

    /// `Name <email>` → parts; a bare name has no e-mail.
    static func person(_ text: String) -> (name: String, email: String) {
        guard let open = text.firstIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return (text.trimmingCharacters(in: .whitespaces), "")
        }
        return (text[..<open].trimmingCharacters(in: .whitespaces), String(text[text.index(after: open)..<close]))
    }

    /// The message without its subject paragraph and its trailer paragraph.
    static func note(of message: String) -> String {
        var paragraphs = message.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard !paragraphs.isEmpty else { return "" }
        paragraphs.removeFirst()
        if let last = paragraphs.last, !Repository.trailers(of: "x\n\n" + last).isEmpty { paragraphs.removeLast() }
        return paragraphs.joined(separator: "\n\n")
    }
}

/// Blob bytes by id, so the version a newer commit compared against is not read again for the older one.
private struct BlobCache {
    private var bytes: [ObjectID: [UInt8]] = [:]

    mutating func bytes(_ id: ObjectID, in repository: Repository) throws(GitError) -> [UInt8] {
        if let known = bytes[id] { return known }
        let read = try repository.blob(id)
        if bytes.count > 4096 { bytes.removeAll(keepingCapacity: true) }
        bytes[id] = read
        return read
    }
}

import Foundation
