import Foundation
import Outputs

/// Writes a site atomically: into a staging folder beside the output folder, then swaps the two folders in one
/// `renameat2(RENAME_EXCHANGE)` (`renamex_np(RENAME_SWAP)` on macOS), so readers, a failed build and a build killed
/// at any instant (kill -9, power loss) see either the whole previous site or the whole new one.
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

    /// - Throws: `UnsafePath` before anything is written when a file's path is not a plain relative path; file-system
    ///   errors (the previous site is then left in place).
    static func write(_ files: [OutputFile], to output: String) throws {
        for file in files where !isPlainRelative(file.path) { throw UnsafePath(path: file.path) }
        let manager = FileManager.default
        let parent = (output as NSString).deletingLastPathComponent
        try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        recoverInterruptedBuilds(of: output)
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)"
        let staging = output + stagingInfix + suffix
        let retired = output + retiredInfix + suffix
        try? manager.removeItem(atPath: staging)
        try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let previous = manager.fileExists(atPath: output + "/" + BuildPipeline.markerFileName) ? output : nil
        do {
            var folders: Set<String> = [staging]
            for file in files {
                let target = staging + "/" + file.path
                let folder = (target as NSString).deletingLastPathComponent
                if !folders.contains(folder) {
                    try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    folders.insert(folder)
                }
                if let previous, reuse(previous + "/" + file.path, for: file.bytes, at: target) { continue }
                try writeFile(file.bytes, to: target)
            }
            try writeFile(Array("This folder was written by sopsite; the next build replaces it.\n".utf8),
                          to: staging + "/" + BuildPipeline.markerFileName)
            // One flush of everything written, so that after a power cut the swapped-in site is whole too. Foundation's
            // `Data.write` fsyncs each file instead: 2.4 s for a site of 3,000 pages here, against 0.3 s.
            sync()
            if manager.fileExists(atPath: output), exchange(staging, output) {
                // The previous site now sits in the staging folder.
                try? manager.removeItem(atPath: staging)
                return
            }
            // No atomic exchange here (a file system without it): two renames, with a window between them that
            // `recoverInterruptedBuilds` closes on the next run.
            if manager.fileExists(atPath: output) {
                try manager.moveItem(atPath: output, toPath: retired)
            }
            try manager.moveItem(atPath: staging, toPath: output)
        } catch {
            try? manager.removeItem(atPath: staging)
            if !manager.fileExists(atPath: output), manager.fileExists(atPath: retired) {
                try? manager.moveItem(atPath: retired, toPath: output)
            }
            throw error
        }
        try? manager.removeItem(atPath: retired)
    }

    /// True for `a/b.html`: not empty, not absolute, no empty, `.` or `..` component, no NUL.
    static func isPlainRelative(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.utf8.contains(0) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
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

    private static func isRunning(_ pid: Int32) -> Bool {
        if pid == ProcessInfo.processInfo.processIdentifier { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Swaps two folders' names in one system call; false when the system or file system cannot.
    private static func exchange(_ a: String, _ b: String) -> Bool {
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

    /// Writes `bytes` to a new file at `path` (no fsync: `write` flushes the whole staging folder once).
    private static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
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

    /// Hard-links `old` to `target` when it holds exactly `bytes`; false when it does not (or cannot be linked).
    private static func reuse(_ old: String, for bytes: [UInt8], at target: String) -> Bool {
        var info = stat()
        guard lstat(old, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == bytes.count,
              let handle = FileHandle(forReadingAtPath: old) else { return false }
        defer { try? handle.close() }
        guard let existing = try? handle.readToEnd() ?? Data(), existing.count == bytes.count else { return false }
        guard [UInt8](existing) == bytes else { return false }
        return link(old, target) == 0
    }
}
