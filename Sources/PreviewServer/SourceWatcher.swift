import Foundation
import SopsiteKit

/// What a file looked like at one scan: a changed modification time, size or file (a save by rename) is an edit.
struct FileStamp: Equatable, Sendable {
    let modifiedNanoseconds: Int64
    let size: Int64
    let inode: UInt64
}

/// Finds edits by polling modification times: portable, needs no dependency, and a scan of a few thousand files costs
/// a few milliseconds. Hidden files and folders (`.git`, editors' swap files) are skipped as the build skips them.
enum SourceWatcher {
    /// Every file under the input folders and every input file that exists, by absolute path.
    static func scan(_ inputs: BuildInputs) -> [String: FileStamp] {
        var stamps: [String: FileStamp] = [:]
        for file in inputs.files {
            if let stamp = stamp(file, followingLinks: true) { stamps[file] = stamp }
        }
        for folder in inputs.folders {
            visit(folder, skipping: inputs.skipping, into: &stamps)
        }
        return stamps
    }

    /// Paths added, removed or changed between two scans, sorted.
    static func changedPaths(from old: [String: FileStamp], to new: [String: FileStamp]) -> [String] {
        var changed: Set<String> = []
        for (path, stamp) in new where old[path] != stamp { changed.insert(path) }
        for path in old.keys where new[path] == nil { changed.insert(path) }
        return changed.sorted()
    }

    private static func visit(_ folder: String, skipping: [String], into stamps: inout [String: FileStamp]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            if skipping.contains(where: { path == $0 || path.hasPrefix($0 + ".sopsite-") }) { continue }
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let isLink = info.st_mode & S_IFMT == S_IFLNK
            if isLink {
                // The build reads a linked file (inside the content folder) but never enters a linked folder.
                guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                visit(path, skipping: skipping, into: &stamps)
            } else {
                stamps[path] = stamp(of: info)
            }
        }
    }

    private static func stamp(_ path: String, followingLinks: Bool) -> FileStamp? {
        var info = stat()
        guard (followingLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return stamp(of: info)
    }

    private static func stamp(of info: stat) -> FileStamp {
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        return FileStamp(modifiedNanoseconds: modified, size: Int64(info.st_size), inode: UInt64(info.st_ino))
    }
}
