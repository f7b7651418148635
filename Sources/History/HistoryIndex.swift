import Git
import SOPCore

/// The history of every file under a folder, built in one walk over the commit graph reachable from HEAD.
///
/// The truth is `git log --follow -- PATH` (default history simplification, 50 % rename similarity, author dates) with
/// one deliberate difference: a copy is not a rename (field case B14). Merge commits add no entries of their own: git's
/// default history simplification shows a merge only when it differs from every parent, and the commits on each side
/// are reached by the walk anyway.
///
/// Complexity: one tree comparison per non-merge commit, O(commits × changed paths); no per-file walk.
public struct HistoryIndex: Sendable {
    /// HEAD's commit id, nil for a repository with no commits.
    public let head: String?
    /// Number of commits walked (merges included).
    public let commitCount: Int
    private let documents: [RepoPath: DocumentHistory]

    public init(head: String?, commitCount: Int, documents: [RepoPath: DocumentHistory]) {
        self.head = head
        self.commitCount = commitCount
        self.documents = documents
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

        public init(folder: RepoPath = RepoPath(""), includes: @escaping @Sendable (RepoPath) -> Bool = HistoryIndex.isMarkdown) {
            self.folder = folder
            self.includes = includes
        }

        public static let `default` = Options()
    }

    @Sendable public static func isMarkdown(_ path: RepoPath) -> Bool {
        let name = path.fileName.lowercased()
        return name.hasSuffix(".md") || name.hasSuffix(".markdown")
    }

    /// Walks the repository once and returns the history of every matching file present at HEAD.
    /// - Returns: the index, plus diagnostics: an error for a shallow clone (its history stops early, so creation dates
    ///   would be wrong; field case B01), a warning for a repository without commits.
    /// - Throws: `GitError` when libgit2 fails, including a walk that ends early.
    public static func build(from repository: Repository, options: Options = .default) throws(GitError) -> Diagnosed<HistoryIndex> {
        let root = SourceLocation(RepoPath(""))
        guard let head = try repository.headCommit() else {
            return Diagnosed(HistoryIndex(head: nil, commitCount: 0, documents: [:]), diagnostics: [
                .warning("history.no-commits", "the repository has no commits yet, so no page has a history", at: root,
                         fix: "commit the content to give pages revisions and review dates"),
            ])
        }
        if repository.isShallow {
            return Diagnosed(HistoryIndex(head: head.hex, commitCount: 0, documents: [:]), diagnostics: [
                .error("history.shallow-clone", "the repository is a shallow clone: its history stops early, so creation dates, "
                       + "revisions and contributors would be wrong", at: root,
                       fix: "fetch the whole history with `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0`)"),
            ])
        }

        let headFiles = try repository.files(in: repository.treeID(of: head), under: options.folder)
            .filter { !$0.isSymlink && options.includes($0.path) }
        // Walking backwards from HEAD, `tracked` maps the path a document has at the commit being visited to the
        // documents (their indexes) that follow it; a rename hands a document to its old path, as `git log --follow`
        // does. A path can be followed by two documents: a file re-created where another was renamed away inherits
        // the older history of the path, as `git log --follow` shows it.
        var tracked: [RepoPath: [Int]] = [:]
        var records: [[CommitRecord]] = Array(repeating: [], count: headFiles.count)
        for (index, file) in headFiles.enumerated() { tracked[file.path] = [index] }

        let commits = try repository.walk(from: head)
        for commit in commits where !commit.isMerge && !tracked.isEmpty {
            let changes = try repository.changes(in: commit.id, parent: commit.parents.first)
            var moves: [(from: RepoPath, documents: [Int])] = []
            func record(_ document: Int, _ path: RepoPath, _ effect: CommitRecord.Effect) {
                records[document].append(CommitRecord(
                    id: commit.id.hex, authorName: commit.author.name, authorEmail: commit.author.email,
                    authorTime: commit.author.time, committerTime: commit.committer.time, subject: commit.subject,
                    path: path, effect: effect))
            }
            for change in changes {
                if case .renamed(let from, _) = change.kind {
                    // Seen from the old path, a rename away is a deletion (`git log --follow` lists it as D there).
                    for document in tracked[from] ?? [] { record(document, from, .deleted) }
                }
                guard let documents = tracked[change.path] else { continue }
                for document in documents {
                    switch change.kind {
                    case .added: record(document, change.path, .added)
                    case .modified: record(document, change.path, .modified)
                    case .deleted: record(document, change.path, .deleted)
                    case .renamed(let from, _): record(document, change.path, .renamed(from: from))
                    }
                }
                if case .renamed(let from, _) = change.kind {
                    tracked[change.path] = nil
                    moves.append((from, documents))
                }
            }
            // Applied after the loop so that a swap (a → b, b → a) in one commit hands each document its own old path.
            for move in moves { tracked[move.from, default: []].append(contentsOf: move.documents) }
        }

        var documents: [RepoPath: DocumentHistory] = [:]
        for (index, file) in headFiles.enumerated() where !records[index].isEmpty {
            documents[file.path] = DocumentHistory(path: file.path, headBlob: file.blob.hex, commits: records[index])
        }
        return Diagnosed(HistoryIndex(head: head.hex, commitCount: commits.count, documents: documents))
    }
}
