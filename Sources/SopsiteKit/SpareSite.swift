import Foundation
import Outputs
import SOPCore

/// A site folder as a build left it: every file and folder with its identity (inode, size, modification time in ns),
/// as Git's index and make judge files. A folder's modification time changes whenever an entry is added to it or
/// removed from it, so a folder tree whose recorded entries all still match holds nothing else either.
///
/// Entries are kept grouped, as they are recorded: each folder, then the files directly in it, the root ("") first.
/// The check then walks the record in order, one open folder at a time, and a rebuild's record is the last one with
/// its few changes made in place: 29,000 entries at 2,000 SOPs, read, checked and written again on every rebuild.
struct SiteInventory {
    struct Identity: Equatable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    struct Entry {
        let path: String
        /// Where the entry's own name starts in `path`'s UTF-8 (after the last slash; 0 at the top).
        let nameOffset: Int
        let isFolder: Bool
        /// nil: removed.
        var identity: Identity?
        /// The entry's line in `record` while it is as read from there (written again as it is).
        var line: Range<Int>? = nil
    }

    /// The record this inventory was read from.
    private var record: [UInt8] = []

    /// In record order; removed entries stay as gaps until written.
    private(set) var entries: [Entry] = []
    /// Path → position in `entries` (files and folders: one path cannot be both).
    private var positions: [String: Int] = [:]
    /// Live files and folders.
    private(set) var fileCount = 0
    private(set) var folderCount = 0
    /// Entries before this position were read from a record, in its grouped order; the rest were added since.
    private var recordedCount = 0

    init() {}

    /// The file's identity; nil when there is no such file.
    func file(_ path: String) -> Identity? {
        guard let at = positions[path], !entries[at].isFolder else { return nil }
        return entries[at].identity
    }

    /// The position in `entries` of the file at `path`; nil when there is no such file.
    func filePosition(_ path: String) -> Int? {
        guard let at = positions[path], !entries[at].isFolder, entries[at].identity != nil else { return nil }
        return at
    }

    /// The folder's identity; nil when there is no such folder.
    func folder(_ path: String) -> Identity? {
        guard let at = positions[path], entries[at].isFolder else { return nil }
        return entries[at].identity
    }

    /// The paths of the live folders ("" for the root).
    var folderPaths: [String] { entries.compactMap { $0.isFolder && $0.identity != nil ? $0.path : nil } }

    /// The live entries, files and folders (for cleaning up a spare site).
    var livePaths: [(path: String, isFolder: Bool)] { entries.compactMap { $0.identity != nil ? ($0.path, $0.isFolder) : nil } }

    /// Records `path` with `identity`, as a file or a folder; `nil` removes it.
    mutating func set(_ path: String, folder: Bool, _ identity: Identity?) {
        if let at = positions[path] {
            let wasLive = entries[at].identity != nil
            if entries[at].isFolder == folder {
                if entries[at].identity != identity { entries[at].line = nil }
                entries[at].identity = identity
                adjust(folder: folder, by: (identity != nil ? 1 : 0) - (wasLive ? 1 : 0))
                return
            }
            // A folder where a file was (or the reverse): the old entry goes, the new one is added.
            entries[at].identity = nil
            entries[at].line = nil
            if wasLive { adjust(folder: entries[at].isFolder, by: -1) }
            positions[path] = nil
        }
        guard let identity else { return }
        positions[path] = entries.count
        entries.append(Entry(path: path, nameOffset: Self.nameOffset(path), isFolder: folder, identity: identity))
        adjust(folder: folder, by: 1)
    }

    private mutating func adjust(folder: Bool, by change: Int) {
        if folder { folderCount += change } else { fileCount += change }
    }

    static func nameOffset(_ path: String) -> Int {
        path.utf8.lastIndex(of: 0x2F).map { path.utf8.distance(from: path.utf8.startIndex, to: $0) + 1 } ?? 0
    }

    static func identity(at path: String, folder: Bool) -> Identity? {
        path.withCString { identity(ofName: $0, in: AT_FDCWD, folder: folder) }
    }

    /// The identity of the entry `name` of the open folder `descriptor` (a path relative to the working folder with
    /// `AT_FDCWD`), not following a final symbolic link; nil unless it is a folder or a regular file as `folder` says.
    static func identity(ofName name: UnsafePointer<CChar>, in descriptor: Int32, folder: Bool) -> Identity? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return identity(info, folder: folder)
    }

    private static func identity(_ info: stat, folder: Bool) -> Identity? {
        guard (info.st_mode & S_IFMT) == (folder ? S_IFDIR : S_IFREG) else { return nil }
        return Identity(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                        modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The identities of the files at `paths` (relative to `root`) and of every folder that holds them, as they are now;
    /// nil when one is missing or is not a regular file, or a path could not be written down (a newline in it).
    static func take(files paths: some Sequence<String>, in root: String) -> SiteInventory? {
        // Grouped under their folders, as a record keeps them.
        var byFolder: [Substring: [String]] = [:]
        for path in paths {
            guard !path.contains("\n") else { return nil }
            let offset = nameOffset(path)
            let utf8 = path.utf8
            byFolder[offset == 0 ? "" : path[..<utf8.index(utf8.startIndex, offsetBy: offset - 1)], default: []].append(path)
        }
        var inventory = SiteInventory()
        inventory.entries.reserveCapacity(byFolder.values.reduce(0) { $0 + $1.count } + byFolder.count * 2)
        for folder in folders(holding: byFolder.values.joined()).sorted() {
            guard let found = identity(at: folder.isEmpty ? root : root + "/" + folder, folder: true) else { return nil }
            inventory.set(folder, folder: true, found)
            for file in byFolder[Substring(folder)] ?? [] {
                guard let found = identity(at: root + "/" + file, folder: false) else { return nil }
                inventory.set(file, folder: false, found)
            }
        }
        inventory.recordedCount = inventory.entries.count
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
    /// Walked in record order: each folder is opened (by its path from the root's open folder, the last component not
    /// followed if it is a link) and checked, then each of its files by name in it; the groups are shared out over
    /// every processor (as Git's `core.preloadIndex` stats the index). A folder reached through a link on the way is
    /// caught where that link's own folder is checked.
    func matches(_ root: String) -> Bool {
        guard fileCount + folderCount == entries.count, let first = entries.first, first.path.isEmpty, first.isFolder else { return false }
        // Not through a link: a spare moved elsewhere and linked back would be written there, and swapped in as a link.
        let base = Foundation.open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard base >= 0 else { return false }
        defer { close(base) }
        // Groups: positions of the folder entries, each group running to the next.
        let all = entries
        let starts = all.indices.filter { all[$0].isFolder }
        return ParallelChunks.mapWaiting(Array(starts.indices)) { groups in
            groups.allSatisfy { group in
                let end = group + 1 < starts.count ? starts[group + 1] : all.count
                return Self.check(all[starts[group]..<end], base: base)
            }
        }.allSatisfy { $0 }
    }

    /// One folder's group: the folder, then its files.
    private static func check(_ group: ArraySlice<Entry>, base: Int32) -> Bool {
        guard let folder = group.first, let expected = folder.identity else { return false }
        let descriptor = folder.path.isEmpty ? base
            : folder.path.withCString { openat(base, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard descriptor >= 0 else { return false }
        defer { if descriptor != base { close(descriptor) } }
        var info = stat()
        guard fstat(descriptor, &info) == 0, identity(info, folder: true) == expected else { return false }
        for file in group.dropFirst() {
            guard let expected = file.identity,
                  file.path.withCString({ identity(ofName: $0 + file.nameOffset, in: descriptor, folder: false) }) == expected
            else { return false }
        }
        return true
    }

    /// One line per entry, `F|D inode size modified path`, grouped: each folder's line, then the lines of the files
    /// directly in it, the root first (alone on its line: a record is passed on with only that line replaced, see
    /// `SpareSite.keep`). Entries read from a record keep its order; entries added since join their folder's group.
    func serialised() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 100)
        func line(_ entry: Entry) {
            guard let identity = entry.identity else { return }
            // An entry unchanged since the record was read: its line, copied (29,000 lines on every rebuild).
            if let line = entry.line {
                out.append(contentsOf: record[line])
                return
            }
            out.append(entry.isFolder ? UInt8(ascii: "D") : UInt8(ascii: "F"))
            out.append(0x20)
            Self.appendDecimal(identity.inode, to: &out)
            Self.appendDecimal(UInt64(max(0, identity.size)), to: &out)
            Self.appendDecimal(UInt64(max(0, identity.modified)), to: &out)
            out.append(contentsOf: entry.path.utf8)
            out.append(0x0A)
        }
        // Files added since the record, by their folder; folders added since, in path order.
        var addedFiles: [Substring: [Int]] = [:]
        var addedFolders: [Int] = []
        for at in recordedCount..<entries.count where entries[at].identity != nil {
            let entry = entries[at]
            if entry.isFolder {
                addedFolders.append(at)
            } else {
                let utf8 = entry.path.utf8
                let folder = entry.nameOffset == 0 ? "" : entry.path[..<utf8.index(utf8.startIndex, offsetBy: entry.nameOffset - 1)]
                addedFiles[folder, default: []].append(at)
            }
        }
        func group(_ folder: Entry) {
            line(folder)
            for at in addedFiles[Substring(folder.path)] ?? [] { line(entries[at]) }
        }
        for entry in entries[..<recordedCount] {
            if entry.isFolder { group(entry) } else { line(entry) }
        }
        for at in addedFolders.sorted(by: { entries[$0].path < entries[$1].path }) { group(entries[at]) }
        return out
    }

    private static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var divisor: UInt64 = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        repeat {
            out.append(UInt8(truncatingIfNeeded: 0x30 + rest / divisor))
            rest %= divisor
            divisor /= 10
        } while divisor > 0
        out.append(0x20)
    }

    /// The root folder's identity from the first line of a record, without reading the rest; nil when the record
    /// does not start with it.
    static func root(ofSerialised bytes: [UInt8]) -> (identity: Identity, rest: ArraySlice<UInt8>)? {
        guard let end = bytes.firstIndex(of: 0x0A), let line = SiteInventory(serialised: Array(bytes[..<end])),
              line.entries.count == 1, let root = line.folder("") else { return nil }
        return (root, bytes[(end + 1)...])
    }

    /// nil when the bytes are not a record as `serialised` writes them: grouped, the root first, every folder's
    /// own folder recorded, only plain relative paths.
    init?(serialised record: [UInt8]) {
        // Parsed on bytes: a record of 29,000 entries is read on every build.
        let parsed: Bool = record.withUnsafeBufferPointer { bytes in
            entries.reserveCapacity(bytes.count / 70)
            positions.reserveCapacity(bytes.count / 70)
            var start = 0
            var group = ""
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
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
                      size <= UInt64(Int64.max), modified <= UInt64(Int64.max) else { return false }
                let identity = Identity(inode: inode, size: Int64(size), modified: Int64(modified))
                let pathBytes = UnsafeBufferPointer(rebasing: bytes[position..<end])
                let isFolder: Bool
                switch bytes[start] {
                case UInt8(ascii: "F"): isFolder = false
                case UInt8(ascii: "D"): isFolder = true
                default: return false
                }
                // A record names only plain paths inside the site (anything else is not a record sopsite wrote): the
                // spare's cleanup removes what it lists, and must never reach outside it. The root comes first, alone.
                if entries.isEmpty {
                    guard isFolder, pathBytes.isEmpty else { return false }
                } else {
                    guard SiteWriter.isPlainRelative(pathBytes) else { return false }
                }
                let path = String(decoding: pathBytes, as: UTF8.self)
                let nameOffset = pathBytes.lastIndex(of: 0x2F).map { $0 + 1 } ?? 0
                // Each file follows its own folder's line (the group the check opens it in).
                if isFolder {
                    group = path
                } else {
                    guard nameOffset == 0 ? group.isEmpty
                            : group.utf8.count == nameOffset - 1 && group.utf8.elementsEqual(pathBytes[..<(nameOffset - 1)]) else { return false }
                }
                guard positions.updateValue(entries.count, forKey: path) == nil else { return false }
                entries.append(Entry(path: path, nameOffset: nameOffset, isFolder: isFolder, identity: identity,
                                     line: end < bytes.count ? start..<(end + 1) : nil))
                if isFolder { folderCount += 1 } else { fileCount += 1 }
            }
            return true
        }
        guard parsed, !entries.isEmpty else { return nil }
        // Every folder's own folder is recorded too: the record is whole.
        for entry in entries where entry.isFolder && !entry.path.isEmpty {
            let utf8 = entry.path.utf8
            let parent = entry.nameOffset == 0 ? "" : String(entry.path[..<utf8.index(utf8.startIndex, offsetBy: entry.nameOffset - 1)])
            guard folder(parent) != nil else { return nil }
        }
        recordedCount = entries.count
        self.record = record
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
        // The spare is used only beside the site the cache recorded: the pages a build reuses are known to be in the
        // spare by the identities that site's build recorded. After the output was replaced (a `--no-cache` build, or
        // a site written there by other means) those say nothing, and a page edited by hand in the spare, keeping its
        // size and time, would be published again; so the spare goes and every page is written afresh once.
        let recorded = self.front == nil ? nil : cache.read(Self.spareRecord).flatMap(SiteInventory.init(serialised:))
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
        rootLine.set("", folder: true, root)
        cache.write(rootLine.serialised() + previous, to: Self.spareRecord)
    }
}
