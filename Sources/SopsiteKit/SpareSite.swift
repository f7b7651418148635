import Foundation
import Outputs
import SOPCore

/// A site folder as a build left it: every file and folder with its identity (inode, size, modification time in ns),
/// as Git's index and make judge files. A folder's modification time changes whenever an entry is added to it or
/// removed from it, so a folder tree whose recorded entries all still match holds nothing else either.
struct SiteInventory: Equatable {
    struct Identity: Equatable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    /// Relative path → identity; folders include the root, as "".
    var files: [String: Identity] = [:]
    var folders: [String: Identity] = [:]

    static func identity(at path: String, folder: Bool) -> Identity? {
        path.withCString { identity(ofName: $0, in: AT_FDCWD, folder: folder) }
    }

    /// The identity of the entry `name` of the open folder `descriptor` (a path relative to the working folder with
    /// `AT_FDCWD`), not following a final symbolic link; nil unless it is a folder or a regular file as `folder` says.
    static func identity(ofName name: UnsafePointer<CChar>, in descriptor: Int32, folder: Bool) -> Identity? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == (folder ? S_IFDIR : S_IFREG) else { return nil }
        return Identity(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                        modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The identities of the files at `paths` (relative to `root`) and of every folder that holds them, as they are now;
    /// nil when one is missing or is not a regular file, or a path could not be written down (a newline in it).
    static func take(files paths: some Sequence<String>, in root: String) -> SiteInventory? {
        var inventory = SiteInventory()
        var files: [String] = []
        for path in paths {
            guard !path.contains("\n"), let identity = identity(at: root + "/" + path, folder: false) else { return nil }
            inventory.files[path] = identity
            files.append(path)
        }
        for folder in folders(holding: files) {
            guard let identity = identity(at: folder.isEmpty ? root : root + "/" + folder, folder: true) else { return nil }
            inventory.folders[folder] = identity
        }
        return inventory
    }

    /// Every folder that holds one of `files` (relative paths), at any depth, and the root as "".
    static func folders(holding files: some Sequence<String>) -> Set<String> {
        var folders: Set<String> = [""]
        for file in files {
            var folder = Substring(file)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                if !folders.insert(String(folder)).inserted { break }
            }
        }
        return folders
    }

    /// True when the tree at `root` is still exactly as recorded: the same files, unedited, and nothing added.
    /// Checked folder by folder, down the tree: each recorded folder is opened by name from its parent's open
    /// folder and its recorded entries are looked up by name in it, so every lookup is of one path component (the
    /// kernel's name lookups were most of the check with whole paths); the subtrees two levels down are shared out over
    /// every processor (as Git's `core.preloadIndex` stats the index): 29,000 entries at 2,000 SOPs. Every entry is
    /// checked once, as a child of its folder; the root by its path.
    func matches(_ root: String) -> Bool {
        guard let rootIdentity = folders[""], Self.identity(at: root, folder: true) == rootIdentity else { return false }
        // Entries by the folder holding them, as views into the recorded paths (copying 29,000 paths into parent and
        // name strings was most of the check's own time).
        var children: Tree = [:]
        children.reserveCapacity(folders.count)
        func add(_ path: String, _ identity: Identity, folder: Bool) {
            let utf8 = path.utf8
            guard let slash = utf8.lastIndex(of: 0x2F) else {
                children["", default: []].append((path[...], path[...], identity, folder))
                return
            }
            children[path[..<slash], default: []].append((path[utf8.index(after: slash)...], path[...], identity, folder))
        }
        for (path, identity) in folders where !path.isEmpty { add(path, identity, folder: true) }
        for (path, identity) in files { add(path, identity, folder: false) }
        // A folder holding recorded entries that is not itself recorded cannot be checked: the record is not whole.
        guard children.keys.allSatisfy({ folders[String($0)] != nil }) else { return false }

        // The root and the folders in it here; below them, in parallel.
        var open: [Int32] = []
        defer { for descriptor in open { close(descriptor) } }
        let base = Foundation.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard base >= 0 else { return false }
        open.append(base)
        var subtrees: [(parent: Int32, name: Substring, path: Substring)] = []
        var firstLevel: [(Int32, Substring, Substring)] = []
        let tree = children
        guard Self.check(tree, base, "", deeper: { firstLevel.append(($0, $1, $2)) }) else { return false }
        for (parent, name, path) in firstLevel {
            let descriptor = name.withCString { openat(parent, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard descriptor >= 0 else { return false }
            open.append(descriptor)
            guard Self.check(tree, descriptor, path, deeper: { subtrees.append(($0, $1, $2)) }) else { return false }
        }
        return ParallelChunks.mapWaiting(subtrees) { chunk in
            chunk.allSatisfy { parent, name, path in
                let descriptor = name.withCString { openat(parent, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
                guard descriptor >= 0 else { return false }
                defer { close(descriptor) }
                return Self.check(tree, descriptor, path)
            }
        }.allSatisfy { $0 }
    }

    typealias Tree = [Substring: [(name: Substring, path: Substring, identity: Identity, folder: Bool)]]

    /// Checks the recorded entries of `folder` (open as `descriptor`) against `tree` (folder → its entries); `deeper`
    /// receives each subfolder instead of going down into it, when given.
    private static func check(_ tree: Tree, _ descriptor: Int32, _ folder: Substring,
                              deeper: ((Int32, Substring, Substring) -> Void)? = nil) -> Bool {
        for entry in tree[folder] ?? [] {
            guard entry.name.withCString({ identity(ofName: $0, in: descriptor, folder: entry.folder) }) == entry.identity else { return false }
            guard entry.folder, tree[entry.path] != nil else { continue }
            if let deeper {
                deeper(descriptor, entry.name, entry.path)
                continue
            }
            let child = entry.name.withCString { openat(descriptor, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard child >= 0 else { return false }
            defer { close(child) }
            guard check(tree, child, entry.path) else { return false }
        }
        return true
    }

    /// One line per entry, `F|D inode size modified path`, the root folder (path "") first and the rest in no
    /// particular order (a cache, not output), written as bytes: 40,000 entries at 2,000 SOPs with their revisions.
    func serialised() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((files.count + folders.count) * 100)
        func decimal(_ value: UInt64) {
            out.append(contentsOf: String(value).utf8)
            out.append(0x20)
        }
        // The root first, alone on its line: a record is passed on with only that line replaced (`SpareSite.keep`).
        for (kind, entries) in [(UInt8(ascii: "D"), folders.filter { $0.key.isEmpty }), (UInt8(ascii: "D"), folders.filter { !$0.key.isEmpty }),
                                (UInt8(ascii: "F"), files)] {
            for (path, identity) in entries {
                out.append(kind)
                out.append(0x20)
                decimal(identity.inode)
                decimal(UInt64(max(0, identity.size)))
                decimal(UInt64(max(0, identity.modified)))
                out.append(contentsOf: path.utf8)
                out.append(0x0A)
            }
        }
        return out
    }

    init() {}

    /// The root folder's identity from the first line of a record, without reading the rest; nil when the record
    /// does not start with it.
    static func root(ofSerialised bytes: [UInt8]) -> (identity: Identity, rest: ArraySlice<UInt8>)? {
        guard let end = bytes.firstIndex(of: 0x0A), let line = SiteInventory(serialised: Array(bytes[..<end])),
              line.files.isEmpty, line.folders.count == 1, let root = line.folders[""] else { return nil }
        return (root, bytes[(end + 1)...])
    }

    init?(serialised bytes: [UInt8]) {
        // Parsed on bytes: a record of 40,000 entries is read on every build.
        var bytes = bytes
        if bytes.last != 0x0A { bytes.append(0x0A) }
        var start = 0
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: 0x0A) else { return nil }
            defer { start = end + 1 }
            if end == start { continue }
            var position = start + 2
            // A decimal number and the space after it (every number is followed by one, then the path).
            func number() -> UInt64? {
                let first = position
                var value: UInt64 = 0
                while position < end, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                    let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                    guard !overflow else { return nil }
                    value = product + UInt64(bytes[position] - 0x30)
                    position += 1
                }
                guard position > first, position < end, bytes[position] == 0x20 else { return nil }
                position += 1
                return value
            }
            guard end - start >= 2, bytes[start + 1] == 0x20, let inode = number(), let size = number(), let modified = number(),
                  size <= UInt64(Int64.max), modified <= UInt64(Int64.max) else { return nil }
            let identity = Identity(inode: inode, size: Int64(size), modified: Int64(modified))
            let path = String(decoding: bytes[position..<end], as: UTF8.self)
            // A record names only plain paths inside the site (anything else is not a record sopsite wrote): the spare's
            // cleanup removes what it lists, and must never reach outside it.
            guard path.isEmpty ? bytes[start] == UInt8(ascii: "D") : SiteWriter.isPlainRelative(path) else { return nil }
            switch bytes[start] {
            case UInt8(ascii: "F"): files[path] = identity
            case UInt8(ascii: "D"): folders[path] = identity
            default: return nil
            }
        }
        guard folders[""] != nil else { return nil }
    }
}

/// The site before the current one, kept in the cache folder after a build swaps its new site in, so that the next
/// build updates it in place, writing only the files that differ, and swaps it in again: double buffering. The swap
/// stays one atomic `renameat2(RENAME_EXCHANGE)`, so readers and a killed build still see a whole site, while a
/// rebuild after a one-page edit touches tens of files instead of linking every file of the site into a new folder
/// tree (23,000 files in 21,000 folders at 2,000 SOPs with their revisions: most of such a rebuild).
///
/// The spare is trusted only when it is exactly as recorded (`SiteInventory.matches`): it was the published site until
/// the last build, so a file edited or added there by hand sends the build back to a fresh folder. Builds sharing a
/// cache take turns on it through a lock; a build killed while updating it leaves no record, so the next one
/// discards it.
final class SpareSite: @unchecked Sendable {
    // @unchecked: every stored property is set in init and only read afterwards (the build checks the spare on a
    // task of its own while documents load, then hands it to one writer).
    static let folderName = "site-spare"
    static let spareRecord = "site-spare.txt"
    static let frontRecord = "site-front.txt"

    let cache: BuildCache
    let output: String
    /// The spare as recorded, when it can be updated in place; nil: build into a fresh folder.
    private(set) var inventory: SiteInventory?
    /// The record of the output folder as the previous build left it, but for its root's line (it becomes the
    /// spare's record after the swap, the root taken again).
    private let front: ArraySlice<UInt8>?
    private let lock: Int32

    var path: String { cache.folder + "/" + Self.folderName }

    /// Takes the cache's lock and checks the spare; nil when another build holds the lock, or the cache folder is
    /// on another file system than the output (a swap cannot cross them).
    init?(cache: BuildCache, output: String) {
        let manager = FileManager.default
        guard (try? manager.createDirectory(atPath: cache.folder, withIntermediateDirectories: true)) != nil else { return nil }
        var cacheInfo = stat(), outputInfo = stat()
        guard stat(cache.folder, &cacheInfo) == 0, stat((output as NSString).deletingLastPathComponent, &outputInfo) == 0,
              cacheInfo.st_dev == outputInfo.st_dev else { return nil }
        let descriptor = open(cache.folder + "/site.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        lock = descriptor
        self.cache = cache
        self.output = output
        // A file added at the top of the output by hand shows in the root folder's identity, which the swap replaces
        // on record: it is checked now. (Deeper changes keep showing in their folders and are caught when the spare is
        // next used.)
        let front = cache.read(Self.frontRecord).flatMap(SiteInventory.root(ofSerialised:))
        self.front = front != nil && front?.identity == SiteInventory.identity(at: output, folder: true) ? front?.rest : nil
        let recorded = cache.read(Self.spareRecord).flatMap(SiteInventory.init(serialised:))
        if let recorded, recorded.matches(path) {
            inventory = recorded
        } else {
            try? manager.removeItem(atPath: path)
        }
    }

    deinit { close(lock) }

    /// Called before the spare is first touched: its record goes, so a build killed while updating it leaves none and
    /// the next build discards it. (A build that never writes, having found errors, leaves spare and record alone.)
    func claim() {
        cache.remove(Self.spareRecord)
    }

    /// After the swap: `previousSite` (the folder that now holds the site the output had; nil when there was none)
    /// becomes the spare if its contents are on record, and the new output is recorded.
    /// - Parameter site: the inventory of the new site at the output; nil when it could not be taken.
    func keep(previousSite: String?, site: SiteInventory?) {
        let manager = FileManager.default
        if previousSite != path { try? manager.removeItem(atPath: path) }
        if let written = site {
            cache.write(written.serialised(), to: Self.frontRecord)
        } else {
            cache.remove(Self.frontRecord)
        }
        guard let previousSite else { return }
        guard let previous = front, previousSite == path || rename(previousSite, path) == 0,
              // The move gave the root folder a new parent (its `..` entry): record it as it is now.
              let root = SiteInventory.identity(at: path, folder: true) else {
            try? manager.removeItem(atPath: previousSite)
            return
        }
        var rootLine = SiteInventory()
        rootLine.folders[""] = root
        cache.write(rootLine.serialised() + previous, to: Self.spareRecord)
    }
}
