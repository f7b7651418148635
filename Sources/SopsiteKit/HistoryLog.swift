import Documents
import Foundation
import Git
import History
import SiteModel
import SOPCore

/// What `sopsite log` was asked for. Paths are as the user gave them.
public struct LogRequest: Sendable {
    /// The repository's top folder (its working tree, or a bare repository).
    public var repository: String
    /// Content folder relative to the repository; nil: `content:` from `sopsite.yml`, else `content`.
    public var content: String?
    /// SOP files or folders, relative to the repository's top folder (as `api/pages.json`'s `source_path`) or
    /// absolute inside it; empty: every Markdown file under the content folder.
    public var paths: [String]
    /// Where history facts are kept between runs (`--cache`, `--no-cache`), shared with `build`.
    public var cache: CacheSetting = .off
    /// Walk a shallow clone anyway.
    public var allowShallow = false

    public init(repository: String, content: String? = nil, paths: [String] = []) {
        self.repository = repository
        self.content = content
        self.paths = paths
    }
}

/// `sopsite log`: the history the build derives for each SOP (`HistoryIndex`), without building a site, so a writer
/// can see why a page says "Rev 4" and a benchmark can time the history pass alone.
public enum HistoryLog {
    /// The requested documents' histories.
    public struct Report: Sendable {
        /// One entry per SOP, sorted by path at HEAD; each history newest first, as `git log --follow` lists it.
        public var documents: [DocumentHistory] = []
        /// Commits walked (merges included).
        public var commitsWalked = 0
        /// Problems: a path with no history (with what to type instead), the repository's state, sopsite.yml.
        public var diagnostics: [Diagnostic] = []
        /// Seconds the history pass took (walk and classification, cache read and write included).
        public var historySeconds = 0.0
        /// `revision_offset:` of the documents that have one (migrated from paper at revision N): the page adds it to
        /// every revision number, and so does the log.
        public var revisionOffsets: [RepoPath: Int] = [:]
    }

    /// Reads `sopsite.yml` and the ignore-revs file as `build` does, runs the history pass (with the build cache
    /// when asked) and selects the requested documents.
    public static func run(_ request: LogRequest) -> Report {
        var report = Report()
        let here = SourceLocation(RepoPath(""))
        let repositoryPath = BuildPipeline.absolute(request.repository)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repositoryPath, isDirectory: &isFolder), isFolder.boolValue else {
            report.diagnostics.append(.error("build.no-repository", "there is no folder \(repositoryPath)", at: here,
                                             fix: "pass --repo with the top folder of a Git repository"))
            return report
        }
        let source = SourceReader.open(repositoryPath: repositoryPath)
        let loaded = source.siteConfig(content: request.content)
        let config = loaded.value
        let ignored = source.ignoredRevisions(config)
        report.diagnostics += loaded.diagnostics + ignored.diagnostics
        let contentPath = config.contentRoot.value.isEmpty ? repositoryPath : repositoryPath + "/" + config.contentRoot.value
        let cacheFolder = (source.isBare && request.cache == .automatic ? nil : BuildCache.folder(for: request.cache, repository: repositoryPath))
            .map(BuildCache.init(folder:))
        // The same folder as `build` would accept: checked against the output folder a build would write.
        let outputPath = config.output.map { BuildPipeline.absolute($0.hasPrefix("/") ? $0 : repositoryPath + "/" + $0) }
            ?? BuildPipeline.defaultOutput(repositoryPath: repositoryPath, isBare: source.isBare)
        if let folder = cacheFolder?.folder, case .folder = request.cache,
           let problem = OutputGuard.checkCache(folder, output: outputPath, repository: repositoryPath, content: contentPath) {
            report.diagnostics.append(problem)
            return report
        }

        var options = HistoryIndex.Options(folder: config.contentRoot, ignoredRevisions: ignored.value)
        options.allowShallow = request.allowShallow
        let (outcome, duration) = HistoryStage.run(repositoryPath: repositoryPath, options: options, cacheFolder: cacheFolder, memory: nil)
        report.historySeconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let index: HistoryIndex
        switch outcome {
        case .success(let result):
            index = result.value
            report.diagnostics += result.diagnostics
        case .failure(let error):
            report.diagnostics.append(.error("git.open", error.message, at: here))
            return report
        }
        report.commitsWalked = index.commitCount
        let selected = select(request.paths, in: index, repositoryPath: repositoryPath, contentRoot: config.contentRoot)
        report.documents = selected.value.compactMap { index[$0] }
        report.diagnostics += selected.diagnostics
        // Front matter is read only where the text names the key: parsing every SOP would double a whole-site log.
        let loader = DocumentLoader(contentRoot: config.contentRoot)
        let key = Array("revision_offset".utf8)
        // Read on every core: a whole-site log reads every SOP.
        let candidates = ParallelChunks.mapWaiting(report.documents.map(\.path)) { chunk in
            zip(chunk, source.read(Array(chunk))).compactMap { path, read in read.flatMap { Self.contains($0, key) ? (path, $0) : nil } }
        }.joined()
        for (path, bytes) in candidates {
            if let document = loader.load(SourceFile(path: path, bytes: bytes)).value, document.revisionOffset > 0 {
                report.revisionOffsets[path] = document.revisionOffset
            }
        }
        return report
    }

    /// The documents `paths` name: a file at HEAD, or every document under a folder; all of them for no paths.
    /// A path with no history gets an error that says why: renamed since (with the path to ask for), not committed
    /// yet, outside the content folder or not there at all.
    static func select(_ paths: [String], in index: HistoryIndex, repositoryPath: String, contentRoot: RepoPath) -> Diagnosed<[RepoPath]> {
        let all = index.paths
        guard !paths.isEmpty else { return Diagnosed(all) }
        var chosen: [RepoPath] = []
        var seen: Set<RepoPath> = []
        var diagnostics: [Diagnostic] = []
        var isFolder: ObjCBool = false
        func matches(_ path: RepoPath) -> [RepoPath] {
            path.value.isEmpty ? all : (index[path] != nil ? [path] : all.filter { $0.isInside(path) })
        }
        // Where else a path may be meant from, as `git log` reads them: the current folder (inside the repository),
        // and the content folder (as page URLs show them).
        let here = BuildPipeline.absolute(".")
        var byPermalink: [String: RepoPath]?
        for typed in paths {
            var path = repositoryRelative(typed, repositoryPath: repositoryPath)
            var found = matches(path)
            if found.isEmpty, !typed.hasPrefix("/") {
                for base in [here.hasPrefix(repositoryPath + "/") ? String(here.dropFirst(repositoryPath.count + 1)) : nil,
                             contentRoot.value.isEmpty ? nil : contentRoot.value].compactMap({ $0 }) {
                    let candidate = repositoryRelative(base + "/" + typed, repositoryPath: repositoryPath)
                    let other = matches(candidate)
                    if !other.isEmpty {
                        (path, found) = (candidate, other)
                        break
                    }
                }
            }
            // A page's URL as the site shows it (`ops/backup`, `/ops/backup/`): the SOP published there.
            if found.isEmpty {
                let trimmed = typed.split(separator: "/").joined(separator: "/")
                if byPermalink == nil {
                    byPermalink = [:]
                    for document in all {
                        guard let relative = document.relative(to: contentRoot) else { continue }
                        let stem = relative.hasSuffix(".markdown") ? String(relative.dropLast(9)) : relative.hasSuffix(".md") ? String(relative.dropLast(3)) : relative
                        byPermalink?[Permalink.page(forContentPath: stem)] = document
                    }
                }
                if !trimmed.isEmpty, let document = byPermalink?[Permalink.page(forContentPath: trimmed)] {
                    (path, found) = (document, [document])
                }
            }
            if !found.isEmpty {
                for match in found where seen.insert(match).inserted { chosen.append(match) }
                continue
            }
            let location = SourceLocation(path)
            if let renamed = all.first(where: { index[$0]?.previousPaths.contains(path) == true }) {
                diagnostics.append(.error("log.renamed", "\(path.value) has no history of its own at HEAD: it is \(renamed.value) now", at: location,
                                          fix: "sopsite log \(renamed.value)"))
            } else if FileManager.default.fileExists(atPath: repositoryPath + "/" + path.value, isDirectory: &isFolder) {
                let folderName = contentRoot.value.isEmpty ? "the repository" : "the content folder \(contentRoot.value)/"
                let (reason, fix): (String, String)
                if !path.isInside(contentRoot) && !contentRoot.value.isEmpty {
                    (reason, fix) = ("it is outside \(folderName)", "name an SOP under \(folderName)")
                } else if isFolder.boolValue {
                    (reason, fix) = ("it is a folder with no committed SOP in it", "name an SOP under \(folderName)")
                } else if HistoryIndex.isMarkdown(path) {
                    (reason, fix) = ("it is not committed yet", "commit it")
                } else {
                    (reason, fix) = ("it is not a Markdown file", "name an SOP under \(folderName)")
                }
                diagnostics.append(.error("log.no-history", "\(path.value) has no history: \(reason)", at: location, fix: fix))
            } else {
                diagnostics.append(.error("log.no-such-file", "there is no \(path.value) in the repository's HEAD or working tree", at: location,
                                          fix: "give the path from the repository's top folder (as `git ls-files` prints it), the current folder or the content folder"))
            }
        }
        return Diagnosed(chosen, diagnostics: diagnostics)
    }

    /// True when `key` occurs in `bytes` (memchr for its first byte, then memcmp: glibc's memmem is not imported).
    static func contains(_ bytes: [UInt8], _ key: [UInt8]) -> Bool {
        guard let first = key.first, bytes.count >= key.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            key.withUnsafeBufferPointer { needle in
                guard let base = buffer.baseAddress, let needleBase = needle.baseAddress else { return false }
                var offset = 0
                while offset + key.count <= buffer.count {
                    guard let hit = memchr(base + offset, Int32(first), buffer.count - offset - key.count + 1) else { return false }
                    let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + position, needleBase, key.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }

    /// `./content/a.md`, `content/a.md/` and an absolute path inside the repository → `content/a.md`.
    static func repositoryRelative(_ typed: String, repositoryPath: String) -> RepoPath {
        var text = typed
        if text.hasPrefix("/") {
            let absolute = BuildPipeline.absolute(text)
            if absolute == repositoryPath { return RepoPath("") }
            if absolute.hasPrefix(repositoryPath + "/") { text = String(absolute.dropFirst(repositoryPath.count + 1)) }
        }
        return RepoPath(text.split(separator: "/").filter { $0 != "." }.joined(separator: "/"))
    }
}

/// The history stage of a build and of `sopsite log`: opens its own repository handle, reuses what was learned before
/// (in the server's memory, else the cache folder) and saves what it learned: the whole index when HEAD and everything
/// else it is derived from are unchanged (`indexKey`), else the facts of the commits already classified.
enum HistoryStage {
    static let indexFile = "history-index.bin"

    /// - Returns: the index or the libgit2 failure, and how long the stage took (wall time).
    static func run(repositoryPath: String, options: HistoryIndex.Options, cacheFolder: BuildCache?,
                    memory: RenderMemory?) -> (Result<Diagnosed<HistoryIndex>, GitError>, Duration) {
        let started = ContinuousClock.now
        do throws(GitError) {
            let repository = try Repository.open(at: repositoryPath)
            let key = (memory != nil || cacheFolder != nil) ? indexKey(repository, options: options) : nil
            if let key, let index = memory?.historyIndex(key: key) ?? cacheFolder.flatMap({ loadIndex($0, key: key) }) {
                return (.success(index), ContinuousClock.now - started)
            }
            var cache = memory?.history ?? cacheFolder?.loadHistory(formatKey: BuildCache.historyKey) ?? HistoryCache()
            let index = try HistoryIndex.build(from: repository, options: options, cache: &cache)
            if let memory {
                memory.history = cache
                if let key { memory.keepHistoryIndex(index, key: key) }
            } else if let cacheFolder {
                if cache.computed > 0 || !FileManager.default.fileExists(atPath: cacheFolder.folder + "/" + BuildCache.historyFile) {
                    cacheFolder.saveHistory(cache, formatKey: BuildCache.historyKey)
                }
                if let key { saveIndex(index, key: key, in: cacheFolder) }
            }
            BackgroundRelease.release(cache)
            BackgroundRelease.release(repository)
            return (.success(index), ContinuousClock.now - started)
        } catch {
            return (.failure(error), ContinuousClock.now - started)
        }
    }

    /// Everything a history index is derived from besides the objects HEAD reaches (which its id names): the binary,
    /// HEAD, shallowness, the options and the mailmap's sources; nil when one cannot be pinned down (no commit yet, a
    /// `mailmap.blob` other than HEAD's `.mailmap`), and the index is then built every time. Only for the default
    /// `includes` (Markdown files), the one builds and `sopsite log` use.
    static func indexKey(_ repository: Repository, options: HistoryIndex.Options) -> String? {
        guard let head = try? repository.headCommit() else { return nil }
        var parts = ["sopsite history index", BuildCache.binaryIdentity, "head " + head.hex, "shallow \(repository.isShallow)",
                     "allow shallow \(options.allowShallow)", "folder " + options.folder.value,
                     "ignored " + options.ignoredRevisions.sorted().joined(separator: ",")]
        // The mailmap (as libgit2 reads it): the working tree's `.mailmap`, `mailmap.file`, and `mailmap.blob`
        // (HEAD:.mailmap by default in a bare repository, which HEAD's id already pins).
        var mailmap = Fingerprint()
        if let folder = repository.workingDirectory {
            mailmap.addBytes(FileManager.default.contents(atPath: folder + "/.mailmap").map { [UInt8]($0) } ?? [])
        }
        if let file = repository.configValue("mailmap.file", path: true) {
            mailmap.add(file)
            mailmap.addBytes(FileManager.default.contents(atPath: file).map { [UInt8]($0) } ?? [])
        }
        if let blob = repository.configValue("mailmap.blob") {
            guard blob == "HEAD:.mailmap" else { return nil }
        }
        parts.append("mailmap " + mailmap.hex)
        return parts.joined(separator: "; ")
    }

    static func loadIndex(_ cacheFolder: BuildCache, key: String) -> Diagnosed<HistoryIndex>? {
        guard let bytes = cacheFolder.read(indexFile) else { return nil }
        var reader = CacheRecordReader(bytes)
        guard reader.string() == key, let count = reader.length() else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<count {
            guard let diagnostic = Diagnostic(reading: &reader) else { return nil }
            diagnostics.append(diagnostic)
        }
        guard let index = HistoryIndex(reading: &reader) else { return nil }
        return Diagnosed(index, diagnostics: diagnostics)
    }

    static func saveIndex(_ index: Diagnosed<HistoryIndex>, key: String, in cacheFolder: BuildCache) {
        var writer = CacheRecordWriter()
        writer.string(key)
        writer.count(index.diagnostics.count)
        for diagnostic in index.diagnostics { diagnostic.write(to: &writer) }
        index.value.write(to: &writer)
        cacheFolder.write(writer.bytes, to: indexFile)
    }
}
