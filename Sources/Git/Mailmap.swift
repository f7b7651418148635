import CGit2
import SOPCore

/// The repository's `.mailmap` (and `mailmap.file` / `mailmap.blob` config), as libgit2 reads it: maps the names and
/// e-mail addresses people committed under to one canonical identity.
public final class Mailmap: @unchecked Sendable {
    // @unchecked: the handle is only read (git_mailmap_resolve does not mutate) and freed in deinit.
    private let handle: OpaquePointer?

    init(handle: OpaquePointer?) { self.handle = handle }

    deinit { if let handle { git_mailmap_free(handle) } }

    /// The canonical (name, email) for an identity; the identity itself when the mailmap has no entry.
    public func resolve(name: String, email: String) -> (name: String, email: String) {
        guard let handle else { return (name, email) }
        // libgit2 hands back either the mailmap's strings or the very pointers it was given, so the results are copied
        // while the C strings of `name` and `email` are still alive.
        return name.withCString { cName in
            email.withCString { cEmail in
                var realName: UnsafePointer<CChar>?
                var realEmail: UnsafePointer<CChar>?
                guard git_mailmap_resolve(&realName, &realEmail, handle, cName, cEmail) == 0 else { return (name, email) }
                return (realName.map { Repository.text($0) } ?? name, realEmail.map { Repository.text($0) } ?? email)
            }
        }
    }
}

extension Repository {
    /// The mailmap of this repository (the working tree's `.mailmap`, or HEAD's in a bare repository).
    /// - Throws: `GitError` when the mailmap exists but cannot be read.
    public func mailmap() throws(GitError) -> Mailmap {
        var handle: OpaquePointer?
        try check("git_mailmap_from_repository", git_mailmap_from_repository(&handle, self.handle))
        return Mailmap(handle: handle)
    }

    /// The trailers of a commit message (`Reviewed: SOP-CS-001`), in order, parsed by libgit2 as `git interpret-trailers`
    /// does: only the last paragraph counts, and only when every line of it is a trailer.
    public static func trailers(of message: String) -> [(key: String, value: String)] {
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        var result: [(key: String, value: String)] = []
        for index in 0..<array.count {
            let trailer = array.trailers[index]
            result.append((trailer.key.map { text($0) } ?? "", trailer.value.map { text($0) } ?? ""))
        }
        return result
    }

    /// The blob at `path` in a commit's tree, nil when there is no file there.
    public func blobID(at path: RepoPath, in commit: ObjectID) throws(GitError) -> ObjectID? {
        let tree = try lookupTree(try treeID(of: commit))
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, tree, path.value)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check("git_tree_entry_bypath", code)
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return ObjectID(git_tree_entry_id(entry).pointee)
    }
}

