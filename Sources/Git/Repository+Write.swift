import CGit2
import SOPCore

/// The minimal write API: enough for test fixtures to build real histories (back-dated commits in several time zones,
/// renames, merges) without the `git` command line. sopsite itself never writes to a repository.
extension Repository {
    /// Creates an empty repository with a working tree at `path`, HEAD on `refs/heads/main`.
    /// - Throws: `GitError` from `git_repository_init_ext`.
    public static func create(at path: String) throws(GitError) -> Repository {
        git_libgit2_init()
        var options = git_repository_init_options()
        var code = git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        guard code == 0 else { git_libgit2_shutdown(); throw GitError.last("git_repository_init_options_init", code) }
        var handle: OpaquePointer?
        code = "main".withCString { head in
            options.initial_head = head
            options.flags |= GIT_REPOSITORY_INIT_MKPATH.rawValue
            return git_repository_init_ext(&handle, path, &options)
        }
        git_libgit2_shutdown()  // open(at:) below takes its own reference
        guard code == 0, handle != nil else { throw GitError.last("git_repository_init_ext", code) }
        git_repository_free(handle)
        return try open(at: path)
    }

    /// Writes a commit whose tree holds exactly `files` (path → bytes), without touching the working tree or index.
    /// - Parameters:
    ///   - reference: the ref to move (`HEAD`, or `refs/heads/feature`); nil to create a dangling commit.
    ///   - parents: parent commits, first parent first (two or more for a merge).
    /// - Returns: the new commit's id.
    /// - Throws: `GitError` from the index, tree or commit calls.
    public func commit(files: [RepoPath: [UInt8]], message: String, author: Signature, committer: Signature,
                       parents: [ObjectID], reference: String?) throws(GitError) -> ObjectID {
        var treeOID = try writeTree(files.map { (path: $0.key.value.split(separator: "/").map(String.init), bytes: $0.value) })
        var tree: OpaquePointer?
        try check("git_tree_lookup", git_tree_lookup(&tree, handle, &treeOID))
        defer { git_tree_free(tree) }

        var parentHandles: [OpaquePointer?] = []
        defer { parentHandles.forEach { git_commit_free($0) } }
        for parent in parents {
            var raw = parent.raw
            var commit: OpaquePointer?
            try check("git_commit_lookup", git_commit_lookup(&commit, handle, &raw))
            parentHandles.append(commit)
        }
        var authorSignature: UnsafeMutablePointer<git_signature>?
        try check("git_signature_new", git_signature_new(&authorSignature, author.name, author.email,
                                                         author.time.secondsSinceEpoch, Int32(author.time.offsetMinutes)))
        defer { git_signature_free(authorSignature) }
        var committerSignature: UnsafeMutablePointer<git_signature>?
        try check("git_signature_new", git_signature_new(&committerSignature, committer.name, committer.email,
                                                         committer.time.secondsSinceEpoch, Int32(committer.time.offsetMinutes)))
        defer { git_signature_free(committerSignature) }
        var commitOID = git_oid()
        let code = parentHandles.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: OpaquePointer?.self) { parentsBuffer in
                git_commit_create(&commitOID, handle, reference, authorSignature, committerSignature, nil, message, tree,
                                  parents.count, parentsBuffer.baseAddress)
            }
        }
        try check("git_commit_create", code)
        return ObjectID(commitOID)
    }

    /// Writes blobs and nested trees for `files` (path components → bytes) with tree builders; returns the root tree.
    private func writeTree(_ files: [(path: [String], bytes: [UInt8])]) throws(GitError) -> git_oid {
        var builder: OpaquePointer?
        try check("git_treebuilder_new", git_treebuilder_new(&builder, handle, nil))
        defer { git_treebuilder_free(builder) }
        var folders: [String: [(path: [String], bytes: [UInt8])]] = [:]
        for file in files {
            if file.path.count > 1 {
                folders[file.path[0], default: []].append((Array(file.path.dropFirst()), file.bytes))
                continue
            }
            var blob = git_oid()
            let code = file.bytes.withUnsafeBytes { git_blob_create_from_buffer(&blob, handle, $0.baseAddress, $0.count) }
            try check("git_blob_create_from_buffer", code)
            try check("git_treebuilder_insert", git_treebuilder_insert(nil, builder, file.path[0], &blob, GIT_FILEMODE_BLOB))
        }
        for (name, contents) in folders.sorted(by: { $0.key < $1.key }) {
            var subtree = try writeTree(contents)
            try check("git_treebuilder_insert", git_treebuilder_insert(nil, builder, name, &subtree, GIT_FILEMODE_TREE))
        }
        var oid = git_oid()
        try check("git_treebuilder_write", git_treebuilder_write(&oid, builder))
        return oid
    }

    /// Points HEAD's branch (or `reference`) at `commit`, creating or moving the ref.
    public func setReference(_ reference: String, to commit: ObjectID) throws(GitError) {
        var raw = commit.raw
        var ref: OpaquePointer?
        try check("git_reference_create", git_reference_create(&ref, handle, reference, &raw, 1, nil))
        git_reference_free(ref)
    }
}
