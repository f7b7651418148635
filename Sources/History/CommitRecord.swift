import SOPCore

/// One commit in one document's history, as `git log --follow` would list it, with what it did to the document.
public struct CommitRecord: Hashable, Sendable {
    public enum Effect: Hashable, Sendable {
        /// The path was added (the oldest such commit is the document's creation).
        case added
        case modified
        /// Moved or renamed from `from` (possibly with an edit; git's 50 % similarity rule).
        case renamed(from: RepoPath)
        /// The path was deleted here; a later commit added a file at the same path again (`git log --follow` keeps both).
        case deleted
    }

    /// Full 40-digit commit id.
    public let id: String
    public let authorName: String
    public let authorEmail: String
    /// Author date with the author's UTC offset: what peers and `git log --format=%aI` call the date of a change.
    public let authorTime: Instant
    /// Committer date (differs after a rebase or cherry-pick; field case B15).
    public let committerTime: Instant
    /// What `git log --format=%s` prints.
    public let subject: String
    /// The document's path in this commit.
    public let path: RepoPath
    public let effect: Effect

    /// The first 10 hexadecimal digits: fixed length, so old pages do not change when the repository grows.
    public var shortID: String { String(id.prefix(10)) }
}

/// A person who changed a document, with how many of its commits they authored.
public struct Contributor: Hashable, Sendable {
    public let name: String
    public let email: String
    public let commits: Int
}

/// Everything Git says about one document, following renames.
public struct DocumentHistory: Sendable {
    /// The path at HEAD.
    public let path: RepoPath
    /// The blob id (hex) of the file at HEAD, to tell whether the working copy has uncommitted edits.
    public let headBlob: String
    /// Newest first, in walk order (topological, then commit time): the order `git log --follow` prints.
    public let commits: [CommitRecord]

    public init(path: RepoPath, headBlob: String, commits: [CommitRecord]) {
        precondition(!commits.isEmpty, "a file present at HEAD has at least one commit")
        self.path = path
        self.headBlob = headBlob
        self.commits = commits
    }

    /// The first commit (the oldest add).
    public var created: CommitRecord { commits[commits.count - 1] }
    /// The newest commit that touched the document, renames included (what `git log --follow -1` shows).
    public var lastChange: CommitRecord { commits[0] }
    /// Paths the document had before, newest first, without repeats.
    public var previousPaths: [RepoPath] {
        var seen: Set<RepoPath> = [path]
        var result: [RepoPath] = []
        for commit in commits where !seen.contains(commit.path) {
            seen.insert(commit.path)
            result.append(commit.path)
        }
        for commit in commits {
            if case .renamed(let from) = commit.effect, !seen.contains(from) {
                seen.insert(from)
                result.append(from)
            }
        }
        return result
    }

    /// Distinct authors (by e-mail address, case-insensitive; the newest name is shown), most commits first,
    /// then by name, then e-mail.
    public var contributors: [Contributor] {
        var order: [String] = []
        var counts: [String: (name: String, email: String, commits: Int)] = [:]
        for commit in commits {
            let key = commit.authorEmail.lowercased()
            if let existing = counts[key] {
                counts[key] = (existing.name, existing.email, existing.commits + 1)
            } else {
                order.append(key)
                counts[key] = (commit.authorName, commit.authorEmail, 1)
            }
        }
        return order.compactMap { counts[$0] }
            .map { Contributor(name: $0.name, email: $0.email, commits: $0.commits) }
            .sorted { ($1.commits, $0.name, $0.email) < ($0.commits, $1.name, $1.email) }
    }
}
