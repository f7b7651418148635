import Foundation
import Outputs

/// Writes a site atomically: into a staging folder beside the output folder, then swaps the two folders in one
/// `renameat2(RENAME_EXCHANGE)` (`renamex_np(RENAME_SWAP)` on macOS), so readers, a failed build and a build killed
/// at any instant (kill -9) see either the whole previous site or the whole new one.
///
/// Files whose bytes did not change are hard-linked from the previous site instead of written: unchanged pages cost
/// no write, and deleting the previous site afterwards only drops directory entries (on a filesystem mounted with
/// `discard`, unlinking 2,000 files that free their blocks took 2–6 s here).
enum SiteWriter {
    /// A file path that would land outside the output folder (`..`, an absolute path): never written.
    struct UnsafePath: Error, CustomStringConvertible {
        let path: String
        var description: String { "refusing to write \"\(path)\": it would land outside the output folder" }
    }

    static let stagingInfix = ".sopsite-staging-"
    static let retiredInfix = ".sopsite-old-"

    /// Writes `files` as the whole new site in one go (see `Staging` for writing as pages are rendered).
    /// - Throws: `UnsafePath` before anything is written when a file's path is not a plain relative path; file-system
    ///   errors (the previous site is then left in place).
    static func write(_ files: [OutputFile], to output: String) throws {
        for file in files where !isPlainRelative(file.path) { throw UnsafePath(path: file.path) }
        let staging = try Staging(output: output)
        staging.write(files)
        try staging.commit()
    }

    /// A new site being written beside `output` (or into the spare site that a cache keeps: see `SpareSite`): files
    /// arrive in batches, from several tasks at once, and are written at once so that a large site is never held in
    /// memory whole; `commit` swaps it in, `abandon` removes it.
    final class Staging: @unchecked Sendable {
        // @unchecked: the mutable state (`folders`, `producedInSpare`, `producedInSpareCount`, `produced`, `failure`,
        // `rewritten`, `touchedFiles`, `touchedFolders`) is only touched under `lock`; the rest is immutable.
        let output: String
        let path: String
        private let retired: String
        private let previous: String?
        private let spare: SpareSite?
        /// The spare's contents when it is updated in place: files already holding the right bytes are kept.
        private let recycled: SiteInventory?
        private let lock = NSLock()
        private var folders: Set<String>
        /// The site's files so far: those the spare has, by their position in `recycled` (a rebuild produces all
        /// 23,000 again, and a set of their paths cost more than the rest of linking them); any other, by path.
        private var producedInSpare: [Bool] = []
        private var producedInSpareCount = 0
        private var produced: Set<String> = []
        private var failure: Error?
        private var rewritten = 0
        /// In a recycled spare: files replaced or removed, and folders that gained or lost an entry (relative paths),
        /// so that the new site's inventory is the spare's recorded one with only these taken again.
        private var touchedFiles: Set<String> = []
        private var touchedFolders: Set<String> = [""]

        /// The site's files so far, written or reused (each once, however often it was tried).
        var filesWritten: Int { lock.withLock { producedInSpareCount + produced.count } }
        /// True when the site already has a file at `path` (relative), written or reused.
        func holdsFile(_ path: String) -> Bool {
            lock.withLock { recycled?.filePosition(path).map { producedInSpare[$0] } ?? produced.contains(path) }
        }

        /// Notes `path` as one of the site's files; false when it already was. Called under `lock`.
        private func markProduced(_ path: String) -> Bool {
            guard let at = recycled?.filePosition(path) else { return produced.insert(path).inserted }
            return markProduced(at: at)
        }

        private func markProduced(at position: Int) -> Bool {
            guard !producedInSpare[position] else { return false }
            producedInSpare[position] = true
            producedInSpareCount += 1
            return true
        }

        /// Every file of the site (relative paths).
        private func allProduced() -> Set<String> {
            lock.withLock {
                var all = produced
                if let recycled {
                    for (position, entry) in recycled.entries.enumerated() where producedInSpare[position] { all.insert(entry.path) }
                }
                return all
            }
        }
        /// Files whose bytes had to be written (the others were the previous site's, linked or kept).
        var filesRewritten: Int { lock.withLock { rewritten } }
        /// True when the build updates the cache's spare site instead of a fresh folder.
        var isRecycling: Bool { recycled != nil }

        /// Clears what interrupted builds left and creates the staging folder, or takes over `spare` when it can be
        /// updated in place.
        init(output: String, spare: SpareSite? = nil) throws {
            let manager = FileManager.default
            try manager.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            SiteWriter.recoverInterruptedBuilds(of: output)
            let suffix = "\(ProcessInfo.processInfo.processIdentifier)"
            self.output = output
            self.spare = spare
            retired = output + SiteWriter.retiredInfix + suffix
            if let spare, let inventory = spare.inventory {
                spare.claim()
                path = spare.path
                recycled = inventory
                producedInSpare = [Bool](repeating: false, count: inventory.entries.count)
                folders = Set(inventory.folderPaths.map { $0.isEmpty ? spare.path : spare.path + "/" + $0 })
            } else {
                path = output + SiteWriter.stagingInfix + suffix
                recycled = nil
                try? manager.removeItem(atPath: path)
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
                folders = [path]
            }
            previous = manager.fileExists(atPath: output + "/" + BuildPipeline.markerFileName) ? output : nil
        }

        /// Writes a batch; the first failure (an unsafe path, a full disk) is kept for `commit` to throw, and later
        /// batches are dropped.
        func write(_ files: [OutputFile]) {
            // The folder of the last file, open: a batch is mostly one folder's files (an SOP's revisions), and a file
            // opened by name in it skips looking up every folder of its path again.
            var folder: (path: String, descriptor: Int32)?
            defer { if let folder { close(folder.descriptor) } }
            for file in files {
                guard !hasFailed else { return }
                do {
                    guard SiteWriter.isPlainRelative(file.path) else { throw UnsafePath(path: file.path) }
                    let target = path + "/" + file.path
                    let isNew = lock.withLock { markProduced(file.path) }
                    if let recycled {
                        // The spare already holds these bytes (it was checked to be as recorded): nothing to do.
                        if let kept = recycled.file(file.path), kept.size == Int64(file.bytes.count), SiteWriter.holds(target, file.bytes) {
                            continue
                        }
                        if recycled.folder(file.path) != nil { removeFolder(target) }
                        touch(file: file.path)
                    }
                    let parent = (target as NSString).deletingLastPathComponent
                    try makeFolder(parent)
                    // A file linked here from the previous site must be replaced, never written through. A fresh
                    // staging folder has no file at a path not yet produced (and skipping the call skips a path lookup
                    // for each of a large site's files).
                    if !isNew || previous != nil || recycled != nil { unlink(target) }
                    if previous == nil || !SiteWriter.reuse(previous! + "/" + file.path, for: file.bytes, at: target) {
                        if folder?.path != parent {
                            if let open = folder { close(open.descriptor) }
                            let descriptor = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                            folder = descriptor >= 0 ? (parent, descriptor) : nil
                        }
                        if let folder {
                            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
                            try SiteWriter.writeFile(file.bytes, to: target, in: folder.descriptor, name: name)
                        } else {
                            try SiteWriter.writeFile(file.bytes, to: target)
                        }
                        lock.withLock { rewritten += 1 }
                    }
                } catch {
                    lock.withLock { if failure == nil { failure = error } }
                }
            }
        }

        /// Puts files of the site at `output` into the new one under the same paths, each given with its identity as
        /// the build that wrote it recorded: a file the spare already holds as that same file (inode, size and
        /// modification time, checked when the spare was taken over) costs nothing; any other is hard-linked from
        /// `output` if it is still that file there. False (having linked some, which later writes replace) when one
        /// is neither.
        func link(_ files: [(path: String, identity: SiteInventory.Identity)]) -> Bool {
            // Files the spare already holds as that same file: noted, nothing else (their paths were checked as plain
            // when the spare's record was read).
            var kept: [Int] = [], others: [(path: String, identity: SiteInventory.Identity)] = []
            kept.reserveCapacity(files.count)
            for file in files {
                if let recycled, let at = recycled.filePosition(file.path), recycled.entries[at].identity == file.identity {
                    kept.append(at)
                } else {
                    others.append(file)
                }
            }
            guard others.allSatisfy({ SiteWriter.isPlainRelative($0.path) }) else { return false }
            lock.withLock {
                for at in kept { _ = markProduced(at: at) }
                for file in others { _ = markProduced(file.path) }
            }
            for (relative, identity) in others {
                let target = path + "/" + relative
                guard SiteInventory.identity(at: output + "/" + relative, folder: false) == identity else { return false }
                if recycled?.folder(relative) != nil { removeFolder(target) }
                do { try makeFolder((target as NSString).deletingLastPathComponent) } catch { return false }
                if recycled != nil { touch(file: relative) }
                unlink(target)
                guard Foundation.link(output + "/" + relative, target) == 0 else { return false }
            }
            return true
        }

        /// Notes a file of the spare replaced or removed (and so its folder changed).
        private func touch(file relative: String) {
            let folder = (relative as NSString).deletingLastPathComponent
            lock.withLock {
                touchedFiles.insert(relative)
                touchedFolders.insert(folder)
            }
        }

        /// The folder's path relative to the site's root ("" for the root).
        private func relative(_ folder: String) -> String {
            folder.count > path.count ? String(folder.dropFirst(path.count + 1)) : ""
        }

        /// The inventory of the site just swapped in at `output` holding `files`: the spare's recorded entries, with
        /// those the build touched taken again (the root always: the swap gave it a new parent); every entry taken when
        /// the site was written into a fresh folder. Nil when an entry cannot be taken.
        /// - Parameters:
        ///   - files: nil when they are exactly the spare's.
        ///   - needed: the folders holding `files`; nil when `files` are exactly the spare's.
        func inventory(of files: Set<String>?, needed: Set<String>?) -> SiteInventory? {
            guard let recycled else { return files.flatMap { SiteInventory.take(files: $0, in: output) } }
            let (touchedFiles, touchedFolders) = lock.withLock { (self.touchedFiles, self.touchedFolders) }
            // Starts from the spare's record (its order and entries kept), then drops, adds and takes again.
            var inventory = recycled
            if let needed, let files {
                for (path, isFolder) in recycled.livePaths where !(isFolder ? needed.contains(path) : files.contains(path)) {
                    inventory.set(path, folder: isFolder, nil)
                }
                for folder in needed where inventory.folder(folder) == nil {
                    guard let identity = SiteInventory.identity(at: folder.isEmpty ? output : output + "/" + folder, folder: true) else { return nil }
                    inventory.set(folder, folder: true, identity)
                }
                for file in files where inventory.file(file) == nil {
                    guard !file.contains("\n"), let identity = SiteInventory.identity(at: output + "/" + file, folder: false) else { return nil }
                    inventory.set(file, folder: false, identity)
                }
            }
            for file in touchedFiles where files?.contains(file) ?? true {
                guard let identity = SiteInventory.identity(at: output + "/" + file, folder: false) else { return nil }
                inventory.set(file, folder: false, identity)
            }
            for folder in touchedFolders where needed?.contains(folder) ?? (inventory.folder(folder) != nil) {
                guard let identity = SiteInventory.identity(at: folder.isEmpty ? output : output + "/" + folder, folder: true) else { return nil }
                inventory.set(folder, folder: true, identity)
            }
            return inventory
        }

        private var hasFailed: Bool { lock.withLock { failure != nil } }

        private func makeFolder(_ folder: String) throws {
            if lock.withLock({ folders.contains(folder) }) { return }
            // mkdir(2) directly, parents only when missing: FileManager's version examined every component of the path
            // first, for each of tens of thousands of page folders.
            if mkdir(folder, 0o777) != 0 {
                switch errno {
                case EEXIST:
                    // In a spare site, a page of the old site may sit where the new one has a folder.
                    var info = stat()
                    if recycled != nil, lstat(folder, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
                        unlink(folder)
                        if mkdir(folder, 0o777) != 0 { throw WriteFailure(path: folder, code: errno) }
                        touchFolder(folder)
                    }
                case ENOENT, ENOTDIR:
                    guard folder.count > path.count else { throw WriteFailure(path: folder, code: errno) }
                    try makeFolder((folder as NSString).deletingLastPathComponent)
                    if mkdir(folder, 0o777) != 0, errno != EEXIST { throw WriteFailure(path: folder, code: errno) }
                    touchFolder(folder)
                default:
                    throw WriteFailure(path: folder, code: errno)
                }
            } else {
                touchFolder(folder)
            }
            lock.withLock { _ = folders.insert(folder) }
        }

        /// Notes a folder made (or replaced) in the spare: it and the folder holding it changed.
        private func touchFolder(_ folder: String) {
            guard recycled != nil else { return }
            let relative = relative(folder)
            lock.withLock {
                touchedFolders.insert(relative)
                touchedFolders.insert((relative as NSString).deletingLastPathComponent)
            }
        }

        /// Removes a folder of the spare site where the new site has a file.
        private func removeFolder(_ folder: String) {
            try? FileManager.default.removeItem(atPath: folder)
            touchFolder(folder)
            lock.withLock { folders = folders.filter { $0 != folder && !$0.hasPrefix(folder + "/") } }
        }

        /// Marks the folder as sopsite's and swaps it in for `output`.
        /// - Parameter background: where the spare site's bookkeeping after the swap (recording the new site's 29,000
        ///   entries at 2,000 SOPs, moving the previous site) runs, when given, instead of before `commit` returns.
        /// - Throws: the first write failure, or a failure to swap (the staging folder is then removed and the
        ///   previous site left in place).
        func commit(background: BackgroundWork? = nil) throws {
            let manager = FileManager.default
            var previousSite: String?
            do {
                if let failure = lock.withLock({ failure }) { throw failure }
                let marker = BuildPipeline.markerFileName
                // The site's files; nil when they are exactly the spare's (then the same folders are needed).
                let exact = lock.withLock {
                    _ = markProduced(marker)
                    return recycled != nil && produced.isEmpty && producedInSpareCount == recycled?.fileCount
                }
                let files = exact ? nil : allProduced()
                var needed: Set<String>?
                if let recycled, let files {
                    needed = SiteInventory.folders(holding: files)
                    removeLeftovers(of: recycled, keeping: files, needed: needed!)
                }
                unlink(path + "/" + marker)
                if recycled != nil { touch(file: marker) }
                try SiteWriter.writeFile(Array("This folder was written by sopsite; the next build replaces it.\n".utf8),
                              to: path + "/" + marker)
                // No fsync, as Hugo and MkDocs: a killed build (kill -9 at any instant) still leaves a whole site, since
                // the kernel holds what was written; flushing the disk (sync) took seconds on a shared machine.
                if manager.fileExists(atPath: output), SiteWriter.exchange(path, output) {
                    // The previous site now sits where the new one was made.
                    previousSite = path
                } else {
                    // No atomic exchange here (a file system without it): two renames, with a window between them that
                    // `recoverInterruptedBuilds` closes on the next run.
                    if manager.fileExists(atPath: output) {
                        try manager.moveItem(atPath: output, toPath: retired)
                        previousSite = retired
                    }
                    try manager.moveItem(atPath: path, toPath: output)
                }
                if let spare {
                    let (swapped, neededFolders) = (previousSite, needed)
                    let keep: @Sendable () -> Void = { spare.keep(previousSite: swapped, site: self.inventory(of: files, needed: neededFolders)) }
                    if let background { background.start(keep) } else { keep() }
                } else if let previousSite {
                    try? manager.removeItem(atPath: previousSite)
                }
            } catch {
                abandon()
                if !manager.fileExists(atPath: output), manager.fileExists(atPath: retired) {
                    try? manager.moveItem(atPath: retired, toPath: output)
                }
                throw error
            }
        }

        /// Removes from a spare site what the new site does not have: files, then folders left empty, deepest first.
        private func removeLeftovers(of recycled: SiteInventory, keeping files: Set<String>, needed: Set<String>) {
            let live = recycled.livePaths
            for (file, isFolder) in live where !isFolder && !files.contains(file) {
                unlink(path + "/" + file)
                touch(file: file)
            }
            for (folder, _) in live.filter({ $0.isFolder && !needed.contains($0.path) }).sorted(by: { $0.path.utf8.count > $1.path.utf8.count }) {
                rmdir(path + "/" + folder)
                touchFolder(path + "/" + folder)
            }
        }

        /// Removes the staging folder; the previous site stays as it was.
        func abandon() {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// True for `a/b.html`: not empty, not absolute, no empty, `.` or `..` component, no NUL.
    static func isPlainRelative(_ path: String) -> Bool {
        isPlainRelative(path.utf8)
    }

    /// `isPlainRelative` on a path's UTF-8 bytes (a spare site's record is checked as it is read).
    static func isPlainRelative(_ bytes: some Sequence<UInt8>) -> Bool {
        // On bytes, one pass: every page's path is checked on every build.
        var componentStart = true, dots = 0, empty = true
        for byte in bytes {
            switch byte {
            case 0: return false
            case UInt8(ascii: "/"):
                // An empty component (a leading slash, `//`) or one of only one or two dots.
                if componentStart || (dots > 0 && dots <= 2) { return false }
                componentStart = true
                dots = 0
            case UInt8(ascii: "."):
                if componentStart || dots > 0 { dots += 1 }
                componentStart = false
            default:
                componentStart = false
                dots = -1
            }
            empty = false
        }
        return !empty && !componentStart && !(dots > 0 && dots <= 2)
    }

    /// Clears what builds killed before finishing left beside `output`: a staging folder (a half-written site, or
    /// the previous site after the exchange) is removed; a retired previous site is put back when `output` is
    /// missing (killed between the two renames of the fallback). Folders of builds still running are left alone.
    static func recoverInterruptedBuilds(of output: String) {
        let manager = FileManager.default
        let parent = (output as NSString).deletingLastPathComponent
        let name = (output as NSString).lastPathComponent
        guard let siblings = try? manager.contentsOfDirectory(atPath: parent) else { return }
        for sibling in siblings.sorted() {
            for infix in [stagingInfix, retiredInfix] where sibling.hasPrefix(name + infix) {
                guard let pid = Int32(sibling.dropFirst(name.count + infix.count)), !isRunning(pid) else { continue }
                let path = parent + "/" + sibling
                if infix == retiredInfix, !manager.fileExists(atPath: output) {
                    try? manager.moveItem(atPath: path, toPath: output)
                } else {
                    try? manager.removeItem(atPath: path)
                }
            }
        }
    }

    static func isRunning(_ pid: Int32) -> Bool {
        if pid == ProcessInfo.processInfo.processIdentifier { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Swaps two folders' names in one system call; false when the system or file system cannot.
    fileprivate static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        // glibc has had renameat2 since 2.28 but Swift's Glibc module does not import it: look it up by name.
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = renameat2Symbol else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
        #elseif canImport(Darwin)
        return renamex_np(a, b, UInt32(RENAME_SWAP)) == 0
        #else
        return false
        #endif
    }

    #if os(Linux)
    // A function address, immutable once looked up.
    nonisolated(unsafe) private static let renameat2Symbol: UnsafeMutableRawPointer? = dlsym(dlopen(nil, RTLD_NOW), "renameat2")
    #endif

    /// A failed `open`, `write` or `close`, with the system's reason.
    struct WriteFailure: Error, CustomStringConvertible {
        let path: String
        let code: Int32
        var description: String { "could not write \(path): \(String(cString: strerror(code)))" }
    }

    /// Writes `bytes` to a new file at `path`, or at `name` in the open folder `folder` when given (`path` then names
    /// the file in errors); no fsync (see `Staging.commit`).
    fileprivate static func writeFile(_ bytes: [UInt8], to path: String, in folder: Int32 = AT_FDCWD, name: String? = nil) throws {
        let descriptor = openat(folder, name ?? path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw WriteFailure(path: path, code: errno) }
        var failure: Int32?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let count = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += count
            }
        }
        // A full disk or a network file system may report its failure only when the file is closed.
        if close(descriptor) != 0, failure == nil { failure = errno }
        if let failure { throw WriteFailure(path: path, code: failure) }
    }

    /// True when `path` is a regular file holding exactly `bytes`. Read with plain system calls: a rebuild compares
    /// the search index's 2,000 files with the ones it would replace, and FileHandle's reads went through two copies.
    fileprivate static func holds(_ path: String, _ bytes: [UInt8]) -> Bool {
        guard let existing = SourceReader.contents(atPath: path) else { return false }
        return existing == bytes
    }

    /// True when both paths name the same file (hard links of one inode).
    fileprivate static func isSameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        return lstat(a, &first) == 0 && lstat(b, &second) == 0 && first.st_ino == second.st_ino && first.st_dev == second.st_dev
    }

    /// Hard-links `old` to `target` when it holds exactly `bytes`; false when it does not (or cannot be linked).
    fileprivate static func reuse(_ old: String, for bytes: [UInt8], at target: String) -> Bool {
        var info = stat()
        guard lstat(old, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == bytes.count,
              SourceReader.contents(atPath: old) == bytes else { return false }
        return link(old, target) == 0
    }
}
