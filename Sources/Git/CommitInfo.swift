import SOPCore

/// A person and moment from a commit header (author or committer), decoded as UTF-8 with repair.
public struct Signature: Hashable, Sendable {
    public let name: String
    public let email: String
    public let time: Instant

    public init(name: String, email: String, time: Instant) {
        self.name = name
        self.email = email
        self.time = time
    }
}

/// One commit's header facts, copied out of libgit2.
public struct CommitInfo: Hashable, Sendable {
    public let id: ObjectID
    public let parents: [ObjectID]
    /// The commit's root tree.
    public let tree: ObjectID
    public let author: Signature
    public let committer: Signature
    /// The first paragraph of the message, whitespace squashed: what `git log --format=%s` prints.
    public let subject: String
    /// The full message.
    public let message: String

    public var isMerge: Bool { parents.count > 1 }

    public init(id: ObjectID, parents: [ObjectID], tree: ObjectID, author: Signature, committer: Signature, subject: String, message: String) {
        self.id = id
        self.parents = parents
        self.tree = tree
        self.author = author
        self.committer = committer
        self.subject = subject
        self.message = message
    }
}

/// One path that differs between a commit and its parent.
public struct FileChange: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case added
        case deleted
        case modified
        /// Renamed from `from`, with libgit2's similarity score (0–100; 100 is an exact rename).
        case renamed(from: RepoPath, similarity: Int)
    }

    public let path: RepoPath
    public let kind: Kind
    /// The blob before (nil when added).
    public let oldBlob: ObjectID?
    /// The blob after (nil when deleted).
    public let newBlob: ObjectID?

    /// The old path of a rename.
    public var renamedFrom: RepoPath? {
        if case .renamed(let from, _) = kind { return from }
        return nil
    }

    public init(path: RepoPath, kind: Kind, oldBlob: ObjectID?, newBlob: ObjectID?) {
        self.path = path
        self.kind = kind
        self.oldBlob = oldBlob
        self.newBlob = newBlob
    }
}

/// A file in a tree: its path and blob.
public struct TreeFile: Hashable, Sendable {
    public let path: RepoPath
    public let blob: ObjectID
    public let isSymlink: Bool
}
