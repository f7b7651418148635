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
    // Internal, not private: the cache form (HistoryIndex+CacheRecord.swift) writes it.
    let documents: [RepoPath: DocumentHistory]

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
        /// Threads (each with its own repository handle) that compare trees and classify changes; the result is the
        /// same for any number. Default: one per processor, at most 8 (each handle keeps an object cache of its own).
        public var workers = min(8, ProcessInfo.processInfo.activeProcessorCount)

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
        let documents = walker.documents()
        cache = walker.cache
        let index = HistoryIndex(head: head.hex, commitCount: walker.commitCount, documents: documents, reviewTrailers: walker.trailers,
                                 isShallow: repository.isShallow)
        BackgroundRelease.release(walker)
        return Diagnosed(index, diagnostics: diagnostics)
    }
}

/// The state of the one walk: which documents follow which path, and what was recorded for each.
///
/// The graph walk (libgit2 sorts the whole graph, one thread) gives the commits in order; meanwhile a second handle
/// starts on what the first-parent line changed. What each commit changed (its tree against its first parent's,
/// renames) is independent of every other commit, so the rest is computed in parallel, one repository handle per
/// worker. Following the documents (which path each has at each commit, newest first) is ordered work on one thread;
/// it notes the blob pairs whose classification is not known yet. Those are read and classified in parallel, grouped
/// by document so that a worker reads each version once, and the records are completed with their kinds. Every
/// parallel step returns its results in input order, so the index never depends on scheduling.
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
    private var records: [[PendingRecord]] = []
    /// The commits in walk order, their hexadecimal ids and their authors after `.mailmap` (resolved when first needed).
    private var commits: [CommitInfo] = []
    private var commitIDs: [String] = []
    private var authors: [(name: String, email: String)?] = []
    private var identities: [String: (name: String, email: String)] = [:]
    /// Blob pairs to classify after the walk, and where each is in that list.
    private var pendingPairs: [HistoryCache.BlobPair] = []
    private var pendingSlots: [HistoryCache.BlobPair: Int] = [:]
    private(set) var cache: HistoryCache

    /// Items per chunk handed to a worker: enough to keep its caches warm, small enough to balance two busy cores.
    private static let commitsPerChunk = 64
    private static let pairsPerChunk = 32

    /// A record whose kind may still be waiting for its blob pair's classification.
    private struct PendingRecord {
        enum Kind {
            case known(ChangeKind)
            case pending(slot: Int)
        }
        let commit: Int
        let path: RepoPath
        let effect: CommitRecord.Effect
        let kind: Kind
        let blob: ObjectID?
        let isMerge: Bool
        let isIgnored: Bool
    }

    /// What the parallel step read for one commit.
    private struct CommitFacts {
        let info: CommitInfo
        let id: String
        /// nil for a shallow clone's boundary commit, or when no document is followed.
        let changes: [FileChange]?
        /// True when `changes` was computed here rather than taken from the cache.
        let isComputed: Bool
    }

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

        let workers = try RepositoryWorkers(repository: repository, count: options.workers)
        let needsChanges = !tracked.isEmpty
        let known = cache.changes
        // The walk below is ordered work on one thread (libgit2 sorts the whole graph before it yields a commit);
        // meanwhile another worker already works out what the commits on HEAD's first-parent line changed.
        let early = needsChanges && !shallow ? workers.startAside { worker, aside in
            Self.firstParentChanges(from: head, skipping: known, worker: worker, aside: aside)
        } : nil
        // A shallow clone's walk reads every commit itself; otherwise the walk's thread reads only each commit's tree
        // (the revwalk left the commits in its handle's cache) and the workers make the `CommitInfo`s, each on its own
        // handle: making them one after another on the walk's thread was a third of the time the other core waited.
        let ids: [ObjectID], walked: [CommitInfo]?, boundary: Set<ObjectID>, trees: [ObjectID: ObjectID]
        do throws(GitError) {
            if shallow {
                let (infos, missing) = try repository.walkAllowingMissingParents(from: head)
                (ids, walked, boundary) = (infos.map(\.id), infos, missing)
                trees = Dictionary(infos.map { ($0.id, $0.tree) }, uniquingKeysWith: { first, _ in first })
            } else {
                (ids, walked, boundary) = (try repository.walkIDs(from: head), nil, [])
                var read: [ObjectID: ObjectID] = [:]
                read.reserveCapacity(ids.count)
                for id in ids { read[id] = try repository.treeOfCommit(id) }
                trees = read
            }
        } catch {
            _ = early?.finish()
            throw error
        }
        let computedEarly = early?.finish() ?? [:]
        commitCount = ids.count
        let facts = try workers.map(ids.count, chunk: Self.commitsPerChunk) { worker, index throws(GitError) -> CommitFacts in
            let info: CommitInfo
            if let walked { info = walked[index] } else { info = try worker.repository.commit(ids[index]) }
            // A shallow clone's boundary commit looks as if it created every file; what it changed is unknown (B01).
            guard needsChanges, !boundary.contains(info.id) else { return CommitFacts(info: info, id: info.id.hex, changes: nil, isComputed: false) }
            if let cached = known[info.id] { return CommitFacts(info: info, id: info.id.hex, changes: cached, isComputed: false) }
            if let computed = computedEarly[info.id] { return CommitFacts(info: info, id: info.id.hex, changes: computed, isComputed: true) }
            // Every parent of a walked commit was walked too (a shallow clone's missing ones are dropped).
            var parentTree: ObjectID?
            if let parent = info.parents.first { parentTree = trees[parent] }
            if parentTree == nil, let parent = info.parents.first { parentTree = try worker.repository.treeID(of: parent) }
            let changes = try worker.repository.changes(from: parentTree, to: info.tree)
            return CommitFacts(info: info, id: info.id.hex, changes: changes, isComputed: true)
        }
        commits = facts.map(\.info)
        commitIDs = facts.map(\.id)
        authors = Array(repeating: nil, count: facts.count)

        for (index, fact) in facts.enumerated() {
            if boundary.contains(fact.info.id) { continue }
            let isIgnored = options.ignoredRevisions.contains(fact.id)
            // Only a message with a colon can hold a trailer (Foundation's `contains(":")` was 1 % of the pass).
            if !isIgnored, fact.info.message.utf8.contains(UInt8(ascii: ":")) { collectTrailers(fact.info) }
            guard let changes = fact.changes else { continue }
            cache.record(changes, of: fact.info.id, isComputed: fact.isComputed)
            if fact.info.isMerge {
                try visitMerge(index, changes: changes, isIgnored: isIgnored)
            } else {
                visit(index, changes: changes, isIgnored: isIgnored)
            }
        }
        try classifyPending(workers)
        BackgroundRelease.release((workers, facts, ids, walked, trees, computedEarly))
    }

    /// What each commit on the first-parent line from `head` changed against its first parent, newest first, until
    /// asked to stop. Facts only: the same whatever point it stops at, and a failure just ends it (the parallel step
    /// computes the rest and reports errors).
    private static func firstParentChanges(from head: ObjectID, skipping known: [ObjectID: [FileChange]],
                                           worker: RepositoryWorkers.Worker, aside: RepositoryWorkers.Aside<[ObjectID: [FileChange]]>)
        -> [ObjectID: [FileChange]] {
        var computed: [ObjectID: [FileChange]] = [:]
        do throws(GitError) {
            // Each commit is read once, for its tree and first parent only: as the parent of the one before it.
            var id = head
            var commit = try worker.repository.treeAndFirstParent(of: head)
            while !aside.isStopped {
                let parent = try commit.firstParent.map { (parent: ObjectID) throws(GitError) in try worker.repository.treeAndFirstParent(of: parent) }
                if known[id] == nil {
                    computed[id] = try worker.repository.changes(from: parent?.tree, to: commit.tree)
                }
                guard let parent, let parentID = commit.firstParent else { break }
                (id, commit) = (parentID, parent)
            }
        } catch {
            return computed
        }
        return computed
    }

    /// The histories of the files at HEAD, with every record's kind. Built in parallel (a tenth of `sopsite log`'s
    /// time was here): each document's records read only the commits, their authors and the kinds, resolved first.
    mutating func documents() -> [RepoPath: DocumentHistory] {
        for history in records { for record in history { _ = author(of: record.commit) } }
        let commits = commits, commitIDs = commitIDs, authors = authors, headFiles = headFiles, records = records
        let kinds = pendingPairs.map { cache.kinds[$0]! }
        let indexes = Array(headFiles.indices).filter { !records[$0].isEmpty }
        let chunks = ParallelChunks.mapWaiting(indexes) { chunk in
            chunk.map { index in
                let commitRecords = records[index].map { pending in
                    let kind: ChangeKind
                    switch pending.kind {
                    case .known(let known): kind = known
                    case .pending(let slot): kind = kinds[slot]
                    }
                    let commit = commits[pending.commit]
                    let author = authors[pending.commit]!
                    return CommitRecord(
                        id: commitIDs[pending.commit], authorName: author.name, authorEmail: author.email, authorTime: commit.author.time,
                        committerTime: commit.committer.time, subject: commit.subject, path: pending.path, effect: pending.effect, kind: kind,
                        blob: pending.blob?.hex, isMerge: pending.isMerge, isIgnored: pending.isIgnored)
                }
                return DocumentHistory(path: headFiles[index].path, headBlob: headFiles[index].blob.hex, commits: commitRecords)
            }
        }
        var result: [RepoPath: DocumentHistory] = [:]
        result.reserveCapacity(indexes.count)
        for history in chunks.joined() { result[history.path] = history }
        return result
    }

    private mutating func visit(_ commit: Int, changes: [FileChange], isIgnored: Bool) {
        var moves: [(from: RepoPath, documents: [Int])] = []
        for change in changes {
            if let from = change.renamedFrom {
                // Seen from the old path, a rename away is a deletion (`git log --follow` lists it as D there).
                for document in tracked[from] ?? [] {
                    record(document, commit, path: from, effect: .deleted, kind: .known(isIgnored ? .ignored : .deleted), blob: nil, isIgnored: isIgnored)
                }
            }
            guard let documents = tracked[change.path] else { continue }
            let kind: PendingRecord.Kind = isIgnored && change.kind != .added ? .known(.ignored) : classify(change)
            let effect: CommitRecord.Effect
            switch change.kind {
            case .added: effect = .added
            case .modified: effect = .modified
            case .deleted: effect = .deleted
            case .renamed(let from, _): effect = .renamed(from: from)
            }
            for document in documents {
                record(document, commit, path: change.path, effect: effect, kind: kind, blob: change.newBlob, isIgnored: isIgnored)
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
    private mutating func visitMerge(_ commit: Int, changes: [FileChange], isIgnored: Bool) throws(GitError) {
        for change in changes where change.kind == .modified {
            guard let documents = tracked[change.path], let blob = change.newBlob else { continue }
            var differsFromAll = true
            for parent in commits[commit].parents.dropFirst() where try cache.blobID(at: change.path, in: parent, repository: repository) == blob {
                differsFromAll = false
            }
            guard differsFromAll else { continue }
            let kind: PendingRecord.Kind = isIgnored ? .known(.ignored) : classify(change)
            for document in documents {
                record(document, commit, path: change.path, effect: .modified, kind: kind, blob: blob, isMerge: true, isIgnored: isIgnored)
            }
        }
    }

    /// The kind when it needs no blob (or the cache knows it); otherwise the slot of its blob pair, classified later.
    private mutating func classify(_ change: FileChange) -> PendingRecord.Kind {
        switch change.kind {
        case .added: return .known(.created)
        case .deleted: return .known(.deleted)
        case .modified, .renamed:
            guard let old = change.oldBlob, let new = change.newBlob else { return .known(.content) }
            if old == new { return .known(.unchanged) }
            let pair = HistoryCache.BlobPair(old: old, new: new)
            if let known = cache.knownKind(pair) { return .known(known) }
            if let slot = pendingSlots[pair] { return .pending(slot: slot) }
            pendingPairs.append(pair)
            pendingSlots[pair] = pendingPairs.count - 1
            return .pending(slot: pendingPairs.count - 1)
        }
    }

    /// Classifies the pending blob pairs in parallel, in the order the documents' histories list them: consecutive
    /// versions of one document share a blob, which the worker then reads once.
    private mutating func classifyPending(_ workers: RepositoryWorkers) throws(GitError) {
        guard !pendingPairs.isEmpty else { return }
        var order: [Int] = []
        order.reserveCapacity(pendingPairs.count)
        var placed = [Bool](repeating: false, count: pendingPairs.count)
        for history in records {
            for record in history {
                if case .pending(let slot) = record.kind, !placed[slot] {
                    placed[slot] = true
                    order.append(slot)
                }
            }
        }
        let pairs = order.map { pendingPairs[$0] }
        let kinds = try workers.map(pairs.count, chunk: Self.pairsPerChunk) { worker, index throws(GitError) -> ChangeKind in
            let old = try worker.blob(pairs[index].old), new = try worker.blob(pairs[index].new)
            return old.withBytes { before in new.withBytes { after in ContentClassifier.classify(old: before, new: after) } }
        }
        for (pair, kind) in zip(pairs, kinds) { cache.learn(kind, for: pair) }
    }

    private mutating func record(_ document: Int, _ commit: Int, path: RepoPath, effect: CommitRecord.Effect,
                                 kind: PendingRecord.Kind, blob: ObjectID?, isMerge: Bool = false, isIgnored: Bool) {
        records[document].append(PendingRecord(commit: commit, path: path, effect: effect, kind: kind, blob: blob, isMerge: isMerge,
                                                isIgnored: isIgnored))
    }

    /// The author of a commit after `.mailmap`, resolved once per commit and once per identity.
    private mutating func author(of commit: Int) -> (name: String, email: String) {
        if let known = authors[commit] { return known }
        let resolved = identity(commits[commit].author.name, commits[commit].author.email)
        authors[commit] = resolved
        return resolved
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

import Foundation

extension HistoryIndex {
    /// The index with each new path (a file moved in the working tree, not committed yet) given the history of the
    /// path it was at HEAD (`renames`: new path → path at HEAD).
    public func following(_ renames: [RepoPath: RepoPath]) -> HistoryIndex {
        var documents = self.documents
        for (new, old) in renames {
            guard let history = documents[old] else { continue }
            documents[new] = history
        }
        return HistoryIndex(head: head, commitCount: commitCount, documents: documents, reviewTrailers: reviewTrailers, isShallow: isShallow)
    }
}
