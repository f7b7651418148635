import Documents
import Foundation
import History
import Outputs
import SOPCore

/// Where a build keeps what it can reuse next time (`--cache`): the history facts (`HistoryCache`) and the SOPs it
/// rendered (`PreviousRender`). Everything in it is checked or keyed so that it is never trusted blindly: a file that
/// does not parse, is from another version, or describes pages that are no longer as recorded is ignored, and the
/// build does the work instead. A build with a cache writes the same bytes as one without (tested).
public enum CacheSetting: Sendable, Equatable {
    /// No cache: every build does everything (the default for programmatic builds and `--no-cache`).
    case off
    /// `.build-sopsite/cache/` in the repository's top folder (ignored by Git through its own `.gitignore`).
    case automatic
    /// A folder of the user's choice.
    case folder(String)
}

struct BuildCache {
    let folder: String
    static let historyFile = "history.txt"
    static let pagesFile = "pages.bin"
    static let documentsFile = "documents.bin"
    /// The first line of the history file: facts are functions of object ids and of the code that derived them, so a
    /// cache written by another sopsite binary is not read.
    static var historyKey: String { "sopsite history facts; " + binaryIdentity }

    /// Which sopsite wrote a cache: the running executable's size and modification time. A rebuilt or upgraded
    /// binary may render the same inputs differently, so its caches start afresh; no version number to forget to bump.
    static let binaryIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 || stat(CommandLine.arguments.first ?? "", &info) == 0 else { return "unknown binary" }
        return "binary \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// The cache folder for a build; nil when caching is off.
    static func folder(for setting: CacheSetting, repository: String) -> String? {
        switch setting {
        case .off: nil
        case .automatic: repository + "/.build-sopsite/cache"
        case .folder(let path): BuildPipeline.absolute(path)
        }
    }

    func loadHistory(formatKey: String) -> HistoryCache {
        guard let data = read(Self.historyFile) else { return HistoryCache() }
        let text = String(decoding: data, as: UTF8.self)
        // The first line names the options the facts were gathered with.
        guard let newline = text.firstIndex(of: "\n"), text[..<newline] == formatKey,
              let cache = HistoryCache(serialised: String(text[text.index(after: newline)...])) else { return HistoryCache() }
        return cache
    }

    func saveHistory(_ cache: HistoryCache, formatKey: String) {
        write(Array((formatKey + "\n" + cache.serialised()).utf8), to: Self.historyFile)
    }

    static let checksumPrefix = "sopsite-checksum "
    /// The first line of the cache folder's `.gitignore`: also what marks a folder as a sopsite cache.
    static let gitignore = "# written by sopsite: a build cache, never committed"

    /// A cache file's contents, nil when it is missing or its checksum line does not match (edited, damaged).
    func read(_ name: String) -> [UInt8]? {
        guard var bytes = Self.contents(of: folder + "/" + name), let newline = bytes.firstIndex(of: 0x0A) else { return nil }
        let line = String(decoding: bytes[..<newline], as: UTF8.self)
        // The checksum line is taken off in place: cache files are up to 10 MB, read on every build.
        bytes.removeSubrange(...newline)
        guard line == Self.checksumPrefix + Fingerprint.bulkChecksum(bytes) else { return nil }
        return bytes
    }

    /// A regular file's bytes, read straight into an array (through `Data`, 30 MB of cache files were copied twice
    /// more on every build); nil when it cannot be read.
    static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size, let base = buffer.baseAddress {
                let got = Foundation.read(descriptor, base + count, size - count)
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { break }
                count += got
            }
            complete = count == size
        }
        return complete ? bytes : nil
    }

    /// Writes `parts` one after the other into a new file at `path`, through one buffer of a megabyte (thousands of
    /// small parts cost no call each, and large ones no joined copy); false when any write fails.
    private static func write(_ parts: [ArraySlice<UInt8>], to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() -> Bool {
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer.withUnsafeBytes { bytes -> Bool in
                var done = 0
                while done < bytes.count, let base = bytes.baseAddress {
                    let wrote = Foundation.write(descriptor, base + done, bytes.count - done)
                    if wrote < 0, errno == EINTR { continue }
                    guard wrote > 0 else { return false }
                    done += wrote
                }
                return true
            }
        }
        for part in parts {
            var rest = part
            while !rest.isEmpty {
                let taken = rest.prefix(buffer.capacity - buffer.count)
                buffer.append(contentsOf: taken)
                rest = rest.dropFirst(taken.count)
                if buffer.count == buffer.capacity, !flush() { return false }
            }
        }
        return flush()
    }

    func remove(_ name: String) {
        unlink(folder + "/" + name)
    }

    /// Removes the temporary files (`.NAME.PID`) of builds killed while writing the cache, so they do not pile up;
    /// those of builds still running are left alone.
    func removeAbandonedFiles() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(".") {
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex, let pid = Int32(name[name.index(after: dot)...]),
                  !SiteWriter.isRunning(pid) else { continue }
            unlink(folder + "/" + name)
        }
    }

    /// Writes a cache file whole or not at all (a temporary file renamed over the old one); failures are ignored, as a
    /// missing cache only costs time.
    func write(_ bytes: [UInt8], to name: String) {
        write(pieces: [bytes[...]], to: name)
    }

    /// `write(_:to:)` of the bytes of `pieces` one after the other (a `CacheRecordWriter`'s), without joining them.
    func write(pieces: [ArraySlice<UInt8>], to name: String) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let ignore = folder + "/.gitignore"
            if !manager.fileExists(atPath: ignore) {
                // As pytest's cache does: Git never shows the cache as untracked.
                try Data((Self.gitignore + "\n*\n").utf8).write(to: URL(fileURLWithPath: ignore))
            }
            let temporary = folder + "/." + name + ".\(ProcessInfo.processInfo.processIdentifier)"
            // The checksum line, then the bytes, written as they are (not joined and copied into `Data`: 10 MB files).
            let header = Array((Self.checksumPrefix + Fingerprint.bulkChecksum(pieces: pieces) + "\n").utf8)
            guard Self.write([header[...]] + pieces, to: temporary), rename(temporary, folder + "/" + name) == 0 else {
                unlink(temporary)
                return
            }
        } catch {
            return
        }
    }
}

/// Pages rendered by the previous build (per SOP, and the site's own group), reused from the previous output folder: a file is linked into the new site
/// only when it is still the very file that build wrote (same inode, size and modification time, as Git's index and
/// make judge files), so an output folder edited by hand is rendered again, never trusted.
final class PreviousRender: RenderCache, @unchecked Sendable {
    // @unchecked: `kept` is only touched under `lock`; `previous` is read-only after init.
    struct StoredFile: Equatable {
        let path: String
        var inode: UInt64
        var size: Int64
        var modified: Int64

        /// The regular file at `folder/path` as it is now; nil when there is none.
        static func current(_ path: String, in folder: String) -> StoredFile? {
            SiteInventory.identity(at: folder + "/" + path, folder: false)
                .map { StoredFile(path: path, inode: $0.inode, size: $0.size, modified: $0.modified) }
        }
    }

    struct StoredPages {
        let pages: RenderedPages
        var files: [StoredFile]
        /// These pages' bytes in the record they were read from (after their key), written again as they are when
        /// reused: a one-SOP edit re-encoded every SOP's pages and search entry.
        var record: ArraySlice<UInt8>? = nil
    }

    /// The SOPs of the last build, in the cache's binary form (`CacheRecordWriter`).
    struct Manifest {
        let version: String
        let output: String
        let sops: [String: StoredPages]

        init(version: String, output: String, sops: [String: StoredPages]) {
            (self.version, self.output, self.sops) = (version, output, sops)
        }

        var bytes: [UInt8] { writer.bytes }

        /// `bytes` as the parts they are written in (see `CacheRecordWriter.pieces`).
        var pieces: [ArraySlice<UInt8>] { writer.pieces }

        private var writer: CacheRecordWriter {
            var writer = CacheRecordWriter()
            writer.reserve(sops.values.reduce(1_024) { $0 + ($1.record?.count ?? 8_192) + 64 })
            writer.string(version)
            writer.string(output)
            writer.count(sops.count)
            for (key, stored) in sops {
                writer.string(key)
                if let record = stored.record {
                    writer.append(record: record)
                    continue
                }
                stored.pages.write(to: &writer)
                writer.count(stored.files.count)
                for file in stored.files {
                    writer.string(file.path)
                    writer.count(file.inode)
                    writer.integer(file.size)
                    writer.integer(file.modified)
                }
            }
            return writer
        }

        /// nil when the bytes are not a whole manifest.
        init?(_ bytes: [UInt8]) {
            var reader = CacheRecordReader(bytes)
            guard let version = reader.string(), let output = reader.string(), let count = reader.length() else { return nil }
            var sops: [String: StoredPages] = [:]
            sops.reserveCapacity(count)
            for _ in 0..<count {
                guard let key = reader.string() else { return nil }
                let start = reader.offset
                guard let pages = RenderedPages(reading: &reader), let fileCount = reader.length() else { return nil }
                var files: [StoredFile] = []
                for _ in 0..<fileCount {
                    guard let path = reader.string(), let inode = reader.count(), let size = reader.integer(),
                          let modified = reader.integer() else { return nil }
                    files.append(StoredFile(path: path, inode: inode, size: size, modified: modified))
                }
                sops[key] = StoredPages(pages: pages, files: files, record: reader.bytes(from: start))
            }
            guard reader.isAtEnd else { return nil }
            self.init(version: version, output: output, sops: sops)
        }
    }

    private let previous: [String: StoredPages]
    private let staging: SiteWriter.Staging
    private let lock = NSLock()
    private var kept: [String: StoredPages] = [:]
    /// Keys reused, and how many of them were SOPs' (not the site group's).
    private var reusedKeys = 0
    private(set) var reused = 0

    /// - Parameter previous: what `load` read.
    init(previous: [String: StoredPages], staging: SiteWriter.Staging) {
        self.staging = staging
        self.previous = previous
    }

    /// The pages the last build into `output` recorded in the cache (10 MB at 2,000 SOPs: read while documents load);
    /// none when the record is missing, damaged, or from another binary or output folder.
    static func load(from cache: BuildCache, output: String) -> [String: StoredPages] {
        guard let bytes = cache.read(BuildCache.pagesFile), let manifest = Manifest(bytes),
              manifest.version == RenderKey.rendererVersion + "; " + BuildCache.binaryIdentity, manifest.output == output else { return [:] }
        return manifest.sops
    }

    func reuse(key: String) -> (pages: RenderedPages, files: [OutputFile])? {
        guard let stored = previous[key],
              staging.link(stored.files.map { ($0.path, SiteInventory.Identity(inode: $0.inode, size: $0.size, modified: $0.modified)) })
        else { return nil }
        lock.withLock {
            kept[key] = stored
            reusedKeys += 1
            if !key.hasPrefix(RenderKey.sitePrefix) { reused += 1 }
        }
        return (stored.pages, [])
    }

    func keep(key: String, _ rendered: RenderedPages, files: [OutputFile]) {
        let stored = StoredPages(pages: rendered, files: rendered.paths.map { StoredFile(path: $0, inode: 0, size: -1, modified: 0) })
        lock.withLock { kept[key] = stored }
    }

    /// The record of the pages of the site written at `folder` (before it is swapped in at `output`: the swap keeps
    /// every file's identity), with the identity of each file just rendered as it now is (reused files are the
    /// recorded ones, linked); nil when there is nothing new to record (everything reused, nothing gone).
    func record(filesIn folder: String, output: String) -> Manifest? {
        var (sops, reusedCount) = lock.withLock { (kept, reusedKeys) }
        if reusedCount == sops.count, sops.count == previous.count { return nil }
        for (key, var stored) in sops where stored.files.contains(where: { $0.size < 0 }) {
            stored.record = nil
            for index in stored.files.indices where stored.files[index].size < 0 {
                if let now = StoredFile.current(stored.files[index].path, in: folder) { stored.files[index] = now }
            }
            sops[key] = stored
        }
        return Manifest(version: RenderKey.rendererVersion + "; " + BuildCache.binaryIdentity, output: output, sops: sops)
    }

    /// Writes a record (10 MB at 2,000 SOPs: done while the site is swapped in). Key order is left to the
    /// dictionary: the cache is not output, and sorting was a tenth of a rebuild.
    static func save(_ manifest: Manifest, to cache: BuildCache) {
        cache.write(pieces: manifest.pieces, to: BuildCache.pagesFile)
    }
}

/// SOPs rendered by earlier builds of `sopsite serve`, kept in memory with their bytes between saves.
public final class RenderMemory: RenderCache, @unchecked Sendable {
    // @unchecked: every stored property is only touched under `lock`.
    private let lock = NSLock()
    private var previous: [String: (RenderedPages, [OutputFile])] = [:]
    private var current: [String: (RenderedPages, [OutputFile])] = [:]
    private var learned = HistoryCache()
    private var loadedDocuments = DocumentMemo()
    /// Documents loaded by earlier builds.
    var documents: DocumentMemo {
        get { lock.withLock { loadedDocuments } }
        set { lock.withLock { loadedDocuments = newValue } }
    }
    private var rememberedBlobIDs = BlobIDMemo()
    /// Blob ids of working copies hashed by earlier builds.
    var blobIDs: BlobIDMemo {
        get { lock.withLock { rememberedBlobIDs } }
        set { lock.withLock { rememberedBlobIDs = newValue } }
    }
    /// History facts learned by earlier builds.
    var history: HistoryCache {
        get { lock.withLock { learned } }
        set { lock.withLock { learned = newValue } }
    }
    private var lastHistoryIndex: (key: String, index: Diagnosed<HistoryIndex>)?

    /// The history index of the last build, when it was derived from the same inputs (`HistoryStage.indexKey`).
    func historyIndex(key: String) -> Diagnosed<HistoryIndex>? {
        lock.withLock { lastHistoryIndex?.key == key ? lastHistoryIndex?.index : nil }
    }

    func keepHistoryIndex(_ index: Diagnosed<HistoryIndex>, key: String) {
        lock.withLock { lastHistoryIndex = (key, index) }
    }

    public init() {}

    public func reuse(key: String) -> (pages: RenderedPages, files: [OutputFile])? {
        lock.withLock {
            guard let found = previous[key] else { return nil }
            current[key] = found
            return (found.0, found.1)
        }
    }

    public func keep(key: String, _ rendered: RenderedPages, files: [OutputFile]) {
        lock.withLock { current[key] = (rendered, files) }
    }

    /// Ends a build: what it used or made is what the next one may reuse.
    func finishBuild(succeeded: Bool) {
        lock.withLock {
            // A failed build keeps what the last good one made too: the next save usually fixes the one problem.
            previous = succeeded ? current : previous.merging(current) { $1 }
            current = [:]
        }
    }
}
