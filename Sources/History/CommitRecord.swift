import SOPCore

/// What a commit did to a document's content, by the rules of document control (issue: "History you can trust").
///
/// Only `created` and `content` are revisions (and reviews); peers count every commit, so a bulk reformat or a folder
/// move makes every page look freshly reviewed.
public enum ChangeKind: String, Hashable, Sendable, Codable {
    /// The file was added (revision 1, or again after a deletion).
    case created
    /// The Markdown body changed beyond whitespace (also a move with such an edit, or a merge that differs from every parent).
    case content
    /// Only the front matter changed: recorded, not a revision.
    case metadata
    /// Only whitespace changed (blank lines, trailing spaces, indentation, line endings): neither.
    case whitespace
    /// Bytes unchanged: a pure rename or move.
    case unchanged
    /// The path was deleted here (seen from the path a later file re-used).
    case deleted
    /// Listed in the ignore-revs file (`.git-blame-ignore-revs` format): neither. (A file *created* by such a commit,
    /// a bulk import, is `created` with `isIgnored` set: it exists, so it is revision 1, but the import is no review.)
    case ignored

    /// True for the kinds that raise the revision number.
    public var isRevision: Bool { self == .created || self == .content }
}

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
    /// Author after `.mailmap`.
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
    public let kind: ChangeKind
    /// The file's blob (hex) after this commit; nil when deleted. Earlier revisions are read from these, never from
    /// the working tree.
    public let blob: String?
    /// True for a merge commit that changed the file relative to every parent (an "evil" merge).
    public let isMerge: Bool
    /// True when the commit is listed in the ignore-revs file.
    public let isIgnored: Bool

    /// A content change that counts as a review: a revision not made by an ignored commit.
    public var isReview: Bool { kind.isRevision && !isIgnored }

    /// The first 10 hexadecimal digits: fixed length, so old pages do not change when the repository grows.
    public var shortID: String { String(id.prefix(10)) }
}

/// A person who changed a document, with how many of its commits they authored.
public struct Contributor: Hashable, Sendable {
    public let name: String
    public let email: String
    public let commits: Int
}

/// A review recorded by a commit trailer without an edit: `Reviewed: SOP-CS-001, SOP-CS-002`, optionally with
/// `Reviewed-by: Name <email>` (default: the commit author). The commit body is the review note.
public struct ReviewTrailer: Hashable, Sendable {
    public let commitID: String
    /// The SOP ids named, in the order written.
    public let ids: [String]
    /// Reviewer after `.mailmap`.
    public let reviewerName: String
    public let reviewerEmail: String
    /// The commit's author date: the day of the review.
    public let time: Instant
    public let subject: String
    /// The commit body without its subject and trailers ("" when none).
    public let note: String

    public var shortID: String { String(commitID.prefix(10)) }
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
    /// The newest commit that was a revision (created or content change).
    public var lastRevision: CommitRecord? { commits.first { $0.kind.isRevision } }
    /// Number of revisions (commits that created the file or changed its body).
    public var revisionCount: Int {
        // By index: the closure form copied every record (eight strings retained) to read its kind.
        var count = 0
        for index in commits.indices where commits[index].kind.isRevision { count += 1 }
        return count
    }

    /// Paths the document had before, newest first, without repeats.
    public var previousPaths: [RepoPath] {
        // Most documents were never moved: asked for every document of every build, they cost no set.
        guard commits.contains(where: { $0.path != path || $0.renamedFrom != nil }) else { return [] }
        var seen: Set<RepoPath> = [path]
        var result: [RepoPath] = []
        for commit in commits {
            for candidate in [commit.path] + (commit.renamedFrom.map { [$0] } ?? []) where !seen.contains(candidate) {
                seen.insert(candidate)
                result.append(candidate)
            }
        }
        return result
    }

    /// Distinct authors (by mailmapped e-mail address, case-insensitive; the newest name is shown), most commits
    /// first, then by name, then e-mail.
    public var contributors: [Contributor] {
        var order: [String] = []
        var counts: [String: (name: String, email: String, commits: Int)] = [:]
        for index in commits.indices {
            let email = commits[index].authorEmail
            // Most addresses are lower-case ASCII already: Unicode lower-casing each commit's was a tenth of assembly.
            let key = email.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) }) ? email : email.lowercased()
            if let existing = counts[key] {
                counts[key] = (existing.name, existing.email, existing.commits + 1)
            } else {
                order.append(key)
                counts[key] = (commits[index].authorName, email, 1)
            }
        }
        return order.compactMap { counts[$0] }
            .map { Contributor(name: $0.name, email: $0.email, commits: $0.commits) }
            .sorted { ($1.commits, $0.name, $0.email) < ($0.commits, $1.name, $1.email) }
    }
}

extension CommitRecord {
    /// The old path of a rename, if this commit renamed the document.
    public var renamedFrom: RepoPath? {
        if case .renamed(let from) = effect { return from }
        return nil
    }
}
