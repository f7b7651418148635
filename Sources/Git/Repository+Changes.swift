import CGit2
import Foundation
import SOPCore

extension Repository {
    /// The files that differ between `commit`'s tree and `parent`'s (nil: the empty tree, for a root commit),
    /// with renames paired by libgit2's similarity detection (git's default: 50 %). Sorted by path.
    ///
    /// Copies are not renames: only a deleted path can be a rename source (git's `--follow` treats copies as renames,
    /// which lets a page started from a template inherit the template's history; field case B14).
    ///
    /// Cost: the trees are compared here, skipping every subtree whose id is unchanged, and libgit2's diff with rename
    /// detection runs only for commits that both add and delete files, restricted to those paths. On 10,000 commits this
    /// was 4–6× faster than `git_diff_tree_to_tree` per commit, with identical results (stack notes §3).
    /// - Throws: `GitError` when an object is missing or libgit2 fails.
    public func changes(in commit: ObjectID, parent: ObjectID?) throws(GitError) -> [FileChange] {
        try changes(from: parent.map { (p: ObjectID) throws(GitError) in try treeID(of: p) }, to: treeID(of: commit))
    }

    /// `changes(in:parent:)` for a commit and parent known by their root trees (`CommitInfo.tree`), so that a thread
    /// computing changes reads no commit again.
    public func changes(from oldTree: ObjectID?, to newTree: ObjectID) throws(GitError) -> [FileChange] {
        if oldTree == newTree { return [] }
        recentTrees.startComparison()
        var raw: [FileChange] = []
        try compare(old: oldTree, new: newTree, prefix: RepoPath(""), into: &raw)
        let added = raw.filter { $0.kind == .added }
        let deleted = raw.filter { $0.kind == .deleted }
        guard !added.isEmpty, !deleted.isEmpty, let oldTree else {
            return raw.sorted { $0.path < $1.path }
        }
        let renames = try detectRenames(old: oldTree, new: newTree, paths: (added + deleted).map(\.path))
        guard !renames.isEmpty else { return raw.sorted { $0.path < $1.path } }
        let sources = Set(renames.map(\.from))
        let targets = Dictionary(renames.map { ($0.to, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [FileChange] = []
        for change in raw {
            switch change.kind {
            case .deleted where sources.contains(change.path):
                continue
            case .added:
                if let rename = targets[change.path] {
                    result.append(FileChange(path: change.path, kind: .renamed(from: rename.from, similarity: rename.similarity),
                                             oldBlob: rename.oldBlob, newBlob: change.newBlob))
                } else {
                    result.append(change)
                }
            default:
                result.append(change)
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    private struct Rename {
        let from: RepoPath
        let to: RepoPath
        let similarity: Int
        let oldBlob: ObjectID
    }

    /// Recursive tree comparison: both trees' entries are walked together in Git's sort order (a merge of two sorted
    /// lists: O(entries), no name lookups), and equal subtrees are never read. The trees are read as raw objects through
    /// the object database (whose cache keeps the parent's trees, read as the previous commit's) and walked in place:
    /// an unchanged entry costs one `memcmp`, and Swift strings are made only for entries that differ. Parsing every
    /// tree into libgit2 entries and asking for each entry's name, type and id took half of a 10,000-commit history
    /// pass, and most of it with 3,000 files in one folder.
    private func compare(old: ObjectID?, new: ObjectID?, prefix: RepoPath, into changes: inout [FileChange]) throws(GitError) {
        if old == new { return }
        let oldTree = try old.map { (id: ObjectID) throws(GitError) in try rawTree(id) }
        let newTree = try new.map { (id: ObjectID) throws(GitError) in try rawTree(id) }
        // The entries point into the objects' buffers: keep both alive until the walk is done.
        try withExtendedLifetime((oldTree, newTree)) { () throws(GitError) in
            var a = RawTreeCursor(oldTree), b = RawTreeCursor(newTree)
            RawTreeCursor.skipCommonEntries(&a, &b)
            var before = try a.next(), after = try b.next()
            while before != nil || after != nil {
                if let x = before, let y = after, x.bytes.count == y.bytes.count,
                   memcmp(x.bytes.baseAddress!, y.bytes.baseAddress!, x.bytes.count) == 0 {
                    RawTreeCursor.skipCommonEntries(&a, &b)
                    (before, after) = (try a.next(), try b.next())
                    continue
                }
                let order: Int32
                if let x = before, let y = after {
                    order = Self.gitOrder(x, y)
                } else {
                    order = before == nil ? 1 : -1
                }
                if order == 0, let x = before, let y = after {
                    // A mode change alone (say 644 to 755) changes neither the file's kind nor its bytes.
                    if !(x.type == y.type && x.id == y.id) {
                        try record(before: x, after: y, path: prefix.appending(y.name), into: &changes)
                    }
                    RawTreeCursor.skipCommonEntries(&a, &b)
                    (before, after) = (try a.next(), try b.next())
                } else if order < 0, let x = before {
                    try record(before: x, after: nil, path: prefix.appending(x.name), into: &changes)
                    before = try a.next()
                } else if let y = after {
                    try record(before: nil, after: y, path: prefix.appending(y.name), into: &changes)
                    after = try b.next()
                }
            }
        }
    }

    /// Git's tree order (`base_name_compare`): names compared as bytes, a tree's name as if it ended in `/`. A file
    /// and a folder of the same name sort apart, so they are told apart as a deletion and an addition.
    private static func gitOrder(_ a: RawTreeEntry, _ b: RawTreeEntry) -> Int32 {
        let common = min(a.nameBytes.count, b.nameBytes.count)
        if common > 0 {
            let prefix = memcmp(a.nameBytes.baseAddress!, b.nameBytes.baseAddress!, common)
            if prefix != 0 { return prefix }
        }
        let aNext: UInt8 = a.nameBytes.count > common ? a.nameBytes[common] : (a.type == GIT_OBJECT_TREE ? 0x2F : 0)
        let bNext: UInt8 = b.nameBytes.count > common ? b.nameBytes[common] : (b.type == GIT_OBJECT_TREE ? 0x2F : 0)
        if aNext != bNext { return aNext < bNext ? -1 : 1 }
        // Same name: the same entry if both are trees or both are not.
        let aIsTree = a.type == GIT_OBJECT_TREE, bIsTree = b.type == GIT_OBJECT_TREE
        return aIsTree == bIsTree ? 0 : (aIsTree ? 1 : -1)
    }

    /// Records the difference between two entries of the same name (either may be missing).
    private func record(before: RawTreeEntry?, after: RawTreeEntry?, path: RepoPath, into changes: inout [FileChange]) throws(GitError) {
        // Submodules (commit entries) are neither files nor folders of this repository.
        let wasTree = before?.type == GIT_OBJECT_TREE, isTree = after?.type == GIT_OBJECT_TREE
        let wasFile = before?.type == GIT_OBJECT_BLOB, isFile = after?.type == GIT_OBJECT_BLOB
        if wasTree || isTree {
            try compare(old: wasTree ? before?.id : nil, new: isTree ? after?.id : nil, prefix: path, into: &changes)
        }
        switch (wasFile, isFile) {
        case (true, true): changes.append(FileChange(path: path, kind: .modified, oldBlob: before?.id, newBlob: after?.id))
        case (true, false): changes.append(FileChange(path: path, kind: .deleted, oldBlob: before?.id, newBlob: nil))
        case (false, true): changes.append(FileChange(path: path, kind: .added, oldBlob: nil, newBlob: after?.id))
        case (false, false): break
        }
    }

    /// A tree object as stored: entries `<octal mode> <name>\0<20-byte id>`, sorted in Git's tree order.
    /// - Throws: `GitError` when the object is missing or not a tree.
    func rawTree(_ id: ObjectID) throws(GitError) -> RawObject {
        if let known = recentTrees[id] { return known }
        let read = try readRawTree(id)
        recentTrees.add(read, for: id)
        return read
    }

    private func readRawTree(_ id: ObjectID) throws(GitError) -> RawObject {
        let read = try rawObject(id)
        guard read.type == GIT_OBJECT_TREE else {
            throw GitError(function: "git_odb_read", code: 0, message: "object \(id.hex) is not a tree")
        }
        return read
    }

    /// An object as stored, read through the object database (opened on first use).
    func rawObject(_ id: ObjectID) throws(GitError) -> RawObject {
        if objectDatabaseHandle == nil {
            var database: OpaquePointer?
            try check("git_repository_odb", git_repository_odb(&database, handle))
            objectDatabaseHandle = database
        }
        var raw = id.raw
        var object: OpaquePointer?
        try check("git_odb_read", git_odb_read(&object, objectDatabaseHandle, &raw))
        guard let object else { throw GitError(function: "git_odb_read", code: 0, message: "no object \(id.hex)") }
        return RawObject(object)
    }

    /// libgit2's rename detection over just the added and deleted paths (exact pathspec, no globbing).
    private func detectRenames(old: ObjectID, new: ObjectID, paths: [RepoPath]) throws(GitError) -> [Rename] {
        let oldTree = try lookupTree(old)
        defer { git_tree_free(oldTree) }
        let newTree = try lookupTree(new)
        defer { git_tree_free(newTree) }
        var options = git_diff_options()
        try check("git_diff_options_init", git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
        options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
        let cStrings = paths.map { strdup($0.value) }
        defer { cStrings.forEach { free($0) } }
        var diff: OpaquePointer?
        var pointers = cStrings.map { UnsafeMutablePointer<CChar>($0) }
        let code = pointers.withUnsafeMutableBufferPointer { buffer -> Int32 in
            options.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return git_diff_tree_to_tree(&diff, handle, oldTree, newTree, &options)
        }
        try check("git_diff_tree_to_tree", code)
        defer { git_diff_free(diff) }
        var find = git_diff_find_options()
        try check("git_diff_find_options_init", git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)))
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try check("git_diff_find_similar", git_diff_find_similar(diff, &find))
        var renames: [Rename] = []
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index)?.pointee, delta.status == GIT_DELTA_RENAMED else { continue }
            renames.append(Rename(from: RepoPath(Self.text(delta.old_file.path)), to: RepoPath(Self.text(delta.new_file.path)),
                                  similarity: Int(delta.similarity), oldBlob: ObjectID(delta.old_file.id)))
        }
        return renames
    }
}

/// An object read from the object database; its bytes live as long as it does.
final class RawObject {
    private let object: OpaquePointer
    let bytes: UnsafeBufferPointer<UInt8>

    var type: git_object_t { git_odb_object_type(object) }

    init(_ object: OpaquePointer) {
        self.object = object
        let size = git_odb_object_size(object)
        bytes = UnsafeBufferPointer(start: git_odb_object_data(object)?.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit { git_odb_object_free(object) }
}

/// The raw trees read by the last comparisons of one repository handle, kept by the handle itself: a walk compares a
/// commit with its parent, then that parent with its own, so one side of a comparison was usually read by the one
/// before, and a folder's tree that a commit leaves alone was read by the last comparison that changed the folder.
/// The object cache of libgit2 keeps no trees (`Repository.open`): with every tree of a 10,000-commit history passing
/// through it, its bounded cache was full at every store, and each store then evicted entries found by scanning its
/// hash table from the start (a tenth of the history pass's instructions), often the very trees needed next.
struct RecentTrees {
    /// Comparisons a tree stays without being used again.
    static let comparisons = 64
    /// Bytes kept before only the last two comparisons' trees are (3,000 files in one folder make 120 KB trees).
    static let byteLimit = 8 << 20
    private var trees: [ObjectID: (tree: RawObject, lastUse: Int)] = [:]
    private var comparison = 0
    private var bytes = 0

    /// Trees read from now on belong to a new comparison; those unused for `comparisons` comparisons are dropped,
    /// and all but the last two comparisons' when they hold more than `byteLimit`.
    mutating func startComparison() {
        comparison += 1
        let oldest = bytes > Self.byteLimit ? comparison - 2 : (comparison % Self.comparisons == 0 ? comparison - Self.comparisons : nil)
        if let oldest {
            trees = trees.filter { $0.value.lastUse >= oldest }
            bytes = trees.values.reduce(0) { $0 + $1.tree.bytes.count }
        }
    }

    subscript(id: ObjectID) -> RawObject? {
        mutating get {
            guard let known = trees[id] else { return nil }
            trees[id] = (known.tree, comparison)
            return known.tree
        }
    }

    mutating func add(_ tree: RawObject, for id: ObjectID) {
        trees[id] = (tree, comparison)
        bytes += tree.bytes.count
    }
}

/// One entry of a raw tree, pointing into the tree's bytes.
struct RawTreeEntry {
    /// The whole entry: mode, name and id (two entries with the same bytes are the same entry).
    let bytes: UnsafeBufferPointer<UInt8>
    let nameBytes: UnsafeBufferPointer<UInt8>
    let type: git_object_t
    let id: ObjectID

    /// Decoded as UTF-8 with repair.
    var name: String { String(decoding: nameBytes, as: UTF8.self) }
}

/// Walks the entries of a raw tree (an absent tree has none).
struct RawTreeCursor {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ tree: RawObject?) {
        bytes = tree?.bytes ?? UnsafeBufferPointer(start: nil, count: 0)
    }

    /// Moves both cursors past the entries they have in common byte for byte from where they stand: the common
    /// prefix is found a word at a time, and only its entry boundaries are looked for (in one tree: the bytes are the
    /// same). Most of a folder is unchanged between a commit and its parent; with 3,000 files in one folder, reading
    /// every entry of both trees was most of the history pass.
    static func skipCommonEntries(_ a: inout RawTreeCursor, _ b: inout RawTreeCursor) {
        guard let x = a.bytes.baseAddress.map({ $0 + a.position }), let y = b.bytes.baseAddress.map({ $0 + b.position }) else { return }
        let count = min(a.bytes.count - a.position, b.bytes.count - b.position)
        var common = 0
        while common + 8 <= count,
              UnsafeRawPointer(x + common).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(y + common).loadUnaligned(as: UInt64.self) {
            common += 8
        }
        while common < count, x[common] == y[common] { common += 1 }
        // An entry is `<mode> <name>\0` and 20 id bytes; neither the mode nor the name holds a NUL.
        var skipped = 0
        while skipped < common, let nul = memchr(x + skipped, 0, common - skipped) {
            let end = UnsafeRawPointer(nul) - UnsafeRawPointer(x) + 21
            guard end <= common else { break }
            skipped = end
        }
        a.position += skipped
        b.position += skipped
    }

    /// The next entry, nil at the end.
    /// - Throws: `GitError` for a truncated or malformed entry.
    mutating func next() throws(GitError) -> RawTreeEntry? {
        guard position < bytes.count, let base = bytes.baseAddress else { return nil }
        let start = position
        var mode: UInt32 = 0
        while position < bytes.count, bytes[position] != 0x20 {
            let digit = bytes[position] &- 0x30
            guard digit < 8 else { throw Self.malformed }
            mode = mode << 3 | UInt32(digit)
            position += 1
        }
        position += 1
        guard position < bytes.count, let nul = memchr(base + position, 0, bytes.count - position) else { throw Self.malformed }
        let nameEnd = UnsafeRawPointer(nul) - UnsafeRawPointer(base)
        let name = UnsafeBufferPointer(rebasing: bytes[position..<nameEnd])
        position = nameEnd + 1 + 20
        guard position <= bytes.count else { throw Self.malformed }
        // libgit2's `git_tree_entry_type`: a gitlink is a commit, a directory a tree, anything else a blob.
        let type: git_object_t
        switch mode & 0o170000 {
        case 0o160000: type = GIT_OBJECT_COMMIT
        case 0o040000: type = GIT_OBJECT_TREE
        default: type = GIT_OBJECT_BLOB
        }
        return RawTreeEntry(bytes: UnsafeBufferPointer(rebasing: bytes[start..<position]), nameBytes: name, type: type,
                            id: ObjectID(bytes: UnsafeRawPointer(base + nameEnd + 1)))
    }

    private static let malformed = GitError(function: "git_odb_read", code: 0, message: "a tree object is malformed")
}
