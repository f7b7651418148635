import CGit2
import Foundation
import SOPCore

/// An open Git repository. Owns its libgit2 handle; use one `Repository` from one task at a time
/// (libgit2 objects are not thread-safe; open a second one for a second reader).
public final class Repository: @unchecked Sendable {
    // @unchecked: the handle is only touched by the task that owns this object (documented above).
    let handle: OpaquePointer
    /// The object database, opened on first use (raw tree reads); freed with the repository.
    var objectDatabaseHandle: OpaquePointer?
    /// The trees read by the last tree comparisons (`changes(from:to:)`), which the next ones mostly read again.
    var recentTrees = RecentTrees()

    /// The folder holding the working tree (nil for a bare repository), with a trailing `/` removed.
    public let workingDirectory: String?
    /// The `.git` folder.
    public let gitDirectory: String

    private init(handle: OpaquePointer) {
        self.handle = handle
        workingDirectory = git_repository_workdir(handle).map { Self.trimSlash(String(cString: $0)) }
        gitDirectory = Self.trimSlash(String(cString: git_repository_path(handle)))
    }

    deinit {
        if let objectDatabaseHandle { git_odb_free(objectDatabaseHandle) }
        git_repository_free(handle)
        git_libgit2_shutdown()
    }

    private static func trimSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Opens the repository whose working tree (or bare folder) is exactly `path` (no search upwards).
    /// - Throws: `GitError` with a message that says what to do: no repository there, or one owned by another user
    ///   (libgit2 1.5 reports that as "config value 'safe.directory' was not found", which misleads).
    public static func open(at path: String) throws(GitError) -> Repository {
        _ = Self.processReference
        git_libgit2_init()
        // Reading is all sopsite does; turning strict hash verification off saved 30–50 % of the history pass
        // (stack notes §3) and objects are still checked by zlib's checksum.
        _ = sopsite_git_set_strict_hash_verification(0)
        // Trees are not kept in the object cache: a tree comparison keeps the trees it needs itself (`RecentTrees`).
        _ = sopsite_git_set_cache_object_limit(GIT_OBJECT_TREE, 0)
        // The object cache is bounded: with 1 GiB, a history whose trees all differ (3,000 files in one folder) kept 1.3 GiB.
        // 16 MB: at 2,000 SOPs / 10,000 commits the history pass held ~107 MB of trees in a 64 MB cache (heaptrack), the
        // build's peak; with 16 MB the peak fell from 215 to 190 MiB for ~0.1 s more of history pass.
        _ = sopsite_git_set_cache_max_size(16 << 20)
        var handle: OpaquePointer?
        let code = git_repository_open_ext(&handle, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil)
        guard code == 0, let handle else {
            let error = GitError.last("git_repository_open_ext", code)
            git_libgit2_shutdown()
            if let owner = foreignOwner(of: path) {
                throw GitError(function: "open", code: code, message:
                    "the repository at \(path) is owned by user id \(owner), not by you (user id \(geteuid())); Git refuses such "
                    + "repositories (\"dubious ownership\"). If you trust it, run: git config --global --add safe.directory \(path)")
            }
            if code == GIT_ENOTFOUND.rawValue {
                throw GitError(function: "open", code: code, message:
                    "\(path) is not a Git repository (no .git folder there); run sopsite from the repository's top folder or pass --repo")
            }
            throw error
        }
        return Repository(handle: handle)
    }

    /// One libgit2 reference held for the life of the process. Each time the count returns to zero, the next
    /// `git_libgit2_init` starts libgit2 again, and Debian's libgit2 then parses every system CA certificate for
    /// mbedTLS: about 50 million instructions (15–20 ms) for each of the several repositories a build opens and closes.
    private static let processReference: Void = { git_libgit2_init() }()

    /// Another handle on the same repository, for a second thread (libgit2 handles are not shared between threads).
    /// - Throws: `GitError` when the repository cannot be opened again (it was removed meanwhile).
    public func reopened() throws(GitError) -> Repository {
        try Self.open(at: workingDirectory ?? gitDirectory)
    }

    /// The uid owning `path/.git` (or `path`) when it is not the current user, else nil.
    private static func foreignOwner(of path: String) -> UInt32? {
        for candidate in [path + "/.git", path] {
            var info = stat()
            if stat(candidate, &info) == 0 {
                return info.st_uid == geteuid() ? nil : info.st_uid
            }
        }
        return nil
    }

    /// True when the repository is a shallow clone: its history stops early and dates would be wrong.
    public var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    public var isBare: Bool { git_repository_is_bare(handle) == 1 }

    /// True when HEAD points at a commit directly instead of a branch.
    public var isHeadDetached: Bool { git_repository_head_detached(handle) == 1 }

    /// The commit HEAD points at, or nil when HEAD is unborn (a repository with no commits yet).
    public func headCommit() throws(GitError) -> ObjectID? {
        if git_repository_head_unborn(handle) == 1 { return nil }
        var oid = git_oid()
        try check("git_reference_name_to_id", git_reference_name_to_id(&oid, handle, "HEAD"))
        return ObjectID(oid)
    }

    /// Every commit reachable from `tip`, newest first in topological order (each commit before its parents;
    /// ties by commit time, as `git log --topo-order`).
    /// - Throws: `GitError` when the walk fails or stops before its end (a shallow clone's missing parents).
    public func walk(from tip: ObjectID) throws(GitError) -> [CommitInfo] {
        var commits: [CommitInfo] = []
        for id in try walkIDs(from: tip) { commits.append(try commit(id)) }
        return commits
    }

    /// The ids `walk(from:)` lists, in the same order, without reading the commits' messages and signatures (callers
    /// read those with `commit(_:)`, possibly on several handles at once).
    /// - Throws: `GitError` when the walk fails or stops before its end (a shallow clone's missing parents).
    public func walkIDs(from tip: ObjectID) throws(GitError) -> [ObjectID] {
        var walker: OpaquePointer?
        try check("git_revwalk_new", git_revwalk_new(&walker, handle))
        defer { git_revwalk_free(walker) }
        try check("git_revwalk_sorting", git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue))
        var start = tip.raw
        try check("git_revwalk_push", git_revwalk_push(walker, &start))
        var ids: [ObjectID] = []
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            // A loop that stopped on any other code would silently present a short history (stack notes §6.1).
            try check("git_revwalk_next", code)
            ids.append(ObjectID(oid))
        }
        return ids
    }

    /// One commit's header facts.
    public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
        var raw = id.raw
        var commit: OpaquePointer?
        try check("git_commit_lookup", git_commit_lookup(&commit, handle, &raw))
        defer { git_commit_free(commit) }
        var parents: [ObjectID] = []
        for index in 0..<git_commit_parentcount(commit) {
            parents.append(ObjectID(git_commit_parent_id(commit, index).pointee))
        }
        let message = git_commit_message(commit).map { Self.text($0) } ?? ""
        let subject = git_commit_summary(commit).map { Self.text($0) } ?? ""
        return CommitInfo(id: id, parents: parents, tree: ObjectID(git_commit_tree_id(commit).pointee),
                          author: Self.signature(git_commit_author(commit)),
                          committer: Self.signature(git_commit_committer(commit)),
                          subject: subject, message: message)
    }

    static func text(_ pointer: UnsafePointer<CChar>) -> String {
        // Repair, never trap, on a message or name that is not UTF-8.
        String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }

    static func signature(_ pointer: UnsafePointer<git_signature>?) -> Signature {
        guard let sig = pointer?.pointee else {
            return Signature(name: "", email: "", time: Instant(secondsSinceEpoch: 0, offsetMinutes: 0))
        }
        return Signature(name: sig.name.map { text($0) } ?? "", email: sig.email.map { text($0) } ?? "",
                         time: Instant(secondsSinceEpoch: sig.when.time, offsetMinutes: Int(sig.when.offset)))
    }

    /// The tree of a commit, read from the stored object's header lines (`tree`, then `parent`s) without parsing its
    /// signatures or message: right after a walk, whose revwalk left every commit in the object cache, this costs a
    /// cache lookup (making a `CommitInfo` costs ten times as much, and a history pass makes those on every core).
    /// - Throws: `GitError` when the object is missing, not a commit, or its header is malformed.
    public func treeOfCommit(_ commit: ObjectID) throws(GitError) -> ObjectID {
        let object = try rawObject(commit)
        guard object.type == GIT_OBJECT_COMMIT else { throw GitError(function: "git_odb_read", code: 0, message: "object \(commit.hex) is not a commit") }
        // "tree " (5 bytes), 40 hexadecimal digits, a newline.
        let bytes = object.bytes
        guard bytes.count >= 46, bytes[0] == 0x74, bytes[1] == 0x72, bytes[2] == 0x65, bytes[3] == 0x65, bytes[4] == 0x20, bytes[45] == 0x0A,
              let tree = ObjectID(hexBytes: UnsafeBufferPointer(rebasing: bytes[5..<45])) else {
            throw GitError(function: "git_odb_read", code: 0, message: "commit \(commit.hex) does not start with its tree")
        }
        return tree
    }

    /// The tree of a commit and its first parent (nil for a root commit), without reading its message or signatures.
    public func treeAndFirstParent(of commit: ObjectID) throws(GitError) -> (tree: ObjectID, firstParent: ObjectID?) {
        var raw = commit.raw
        var handle: OpaquePointer?
        try check("git_commit_lookup", git_commit_lookup(&handle, self.handle, &raw))
        defer { git_commit_free(handle) }
        let parent = git_commit_parentcount(handle) > 0 ? git_commit_parent_id(handle, 0).map { ObjectID($0.pointee) } : nil
        return (ObjectID(git_commit_tree_id(handle).pointee), parent)
    }

    /// The tree of a commit.
    public func treeID(of commit: ObjectID) throws(GitError) -> ObjectID {
        var raw = commit.raw
        var handle: OpaquePointer?
        try check("git_commit_lookup", git_commit_lookup(&handle, self.handle, &raw))
        defer { git_commit_free(handle) }
        return ObjectID(git_commit_tree_id(handle).pointee)
    }

    /// The files (blobs and symlinks, not submodules) of `tree` under `folder` ("" for all), sorted by path.
    public func files(in tree: ObjectID, under folder: RepoPath = RepoPath("")) throws(GitError) -> [TreeFile] {
        var files: [TreeFile] = []
        var root = tree
        if !folder.value.isEmpty {
            let tree = try lookupTree(tree)
            defer { git_tree_free(tree) }
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, tree, folder.value)
            if code == GIT_ENOTFOUND.rawValue { return [] }
            try check("git_tree_entry_bypath", code)
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return [] }
            root = ObjectID(git_tree_entry_id(entry).pointee)
        }
        try collect(tree: root, prefix: folder, into: &files)
        return files.sorted { $0.path < $1.path }
    }

    private func collect(tree id: ObjectID, prefix: RepoPath, into files: inout [TreeFile]) throws(GitError) {
        let tree = try lookupTree(id)
        defer { git_tree_free(tree) }
        for index in 0..<git_tree_entrycount(tree) {
            let entry = git_tree_entry_byindex(tree, index)
            let name = Self.text(git_tree_entry_name(entry))
            let oid = ObjectID(git_tree_entry_id(entry).pointee)
            let mode = git_tree_entry_filemode(entry)
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_TREE: try collect(tree: oid, prefix: prefix.appending(name), into: &files)
            case GIT_OBJECT_BLOB: files.append(TreeFile(path: prefix.appending(name), blob: oid, isSymlink: mode == GIT_FILEMODE_LINK))
            default: continue  // submodule (a commit entry): not a file of this repository
            }
        }
    }

    func lookupTree(_ id: ObjectID) throws(GitError) -> OpaquePointer? {
        var raw = id.raw
        var tree: OpaquePointer?
        try check("git_tree_lookup", git_tree_lookup(&tree, handle, &raw))
        return tree
    }

    /// The bytes of a blob.
    public func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
        var raw = id.raw
        var blob: OpaquePointer?
        try check("git_blob_lookup", git_blob_lookup(&blob, handle, &raw))
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    /// The bytes of a blob without copying them out: read from the object database directly (no parsed object is
    /// made, no array filled), for the history pass, which compares 20,000 pairs of versions at 10,000 commits.
    /// - Throws: `GitError` when the object is missing or not a blob.
    public func blobContent(_ id: ObjectID) throws(GitError) -> BlobContent {
        let object = try rawObject(id)
        guard object.type == GIT_OBJECT_BLOB else { throw GitError(function: "git_odb_read", code: 0, message: "object \(id.hex) is not a blob") }
        return BlobContent(object)
    }
}

/// A blob's bytes as libgit2 read them, valid for as long as this object lives; used by one thread at a time.
public final class BlobContent {
    private let object: RawObject

    init(_ object: RawObject) {
        self.object = object
    }

    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(object.bytes)
    }
}

extension Repository {
    /// Every commit reachable from `tip` whose parents are present, newest first in topological order (ties by commit
    /// time). For a shallow clone, whose boundary commits' parents are missing: libgit2 1.5's revwalk fails there, so
    /// this walk treats a missing parent as the end of history.
    /// - Returns: the commits, and the ids of boundary commits (some parent missing): what they changed is unknown.
    /// - Throws: `GitError` when a reachable commit cannot be read.
    public func walkAllowingMissingParents(from tip: ObjectID) throws(GitError) -> (commits: [CommitInfo], boundary: Set<ObjectID>) {
        var boundary: Set<ObjectID> = []
        var commits: [ObjectID: CommitInfo] = [:]
        var stack = [tip]
        while let id = stack.popLast() {
            if commits[id] != nil { continue }
            var info = try commit(id)
            var present: [ObjectID] = []
            for parent in info.parents {
                var raw = parent.raw
                var handle: OpaquePointer?
                if git_commit_lookup(&handle, self.handle, &raw) == 0 {
                    git_commit_free(handle)
                    present.append(parent)
                    stack.append(parent)
                }
            }
            if present.count < info.parents.count { boundary.insert(id) }
            info = CommitInfo(id: info.id, parents: present, tree: info.tree, author: info.author, committer: info.committer, subject: info.subject,
                              message: info.message)
            commits[id] = info
        }
        // Kahn's algorithm from the tip: a commit is emitted once all its children are; among ready commits the newest
        // commit time first, as GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME does.
        var children: [ObjectID: Int] = [:]
        for info in commits.values { for parent in info.parents { children[parent, default: 0] += 1 } }
        var ready = commits.values.filter { children[$0.id, default: 0] == 0 }
        var order: [CommitInfo] = []
        while !ready.isEmpty {
            ready.sort { ($0.committer.time.secondsSinceEpoch, $0.id) < ($1.committer.time.secondsSinceEpoch, $1.id) }
            let next = ready.removeLast()
            order.append(next)
            for parent in next.parents {
                children[parent, default: 0] -= 1
                if children[parent] == 0, let info = commits[parent] { ready.append(info) }
            }
        }
        return (order, boundary)
    }
}
