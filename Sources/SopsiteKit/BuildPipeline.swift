import Documents
import Foundation
import Git
import History
import Outputs
import SiteModel
import SOPCore

/// Orchestrates a build and does all of its disk I/O: reads the working tree, runs the stages, and writes the site into a
/// staging folder beside the output folder that replaces it only when the build has no errors, so a failed build leaves
/// the previous site untouched.
public enum BuildPipeline {
    /// Codes of problems with the command line or the machine rather than the content: the CLI exits 2 for them.
    public static let usageCodes: Set<String> = ["output.unsafe", "cache.unsafe", "cache.not-ours", "output.not-ours", "output.not-a-folder", "build.no-repository",
                                                 "build.no-content", "theme.load"]

    /// Name of the marker file that says a folder was written by sopsite (and may be replaced by it).
    public static let markerFileName = ".sopsite-output"

    /// Runs a whole build. Problems in the writer's files come back as diagnostics; failures of the machine too
    /// (repository missing, disk full), as errors at the repository or output path, so the CLI reports them the same way.
    public static func run(_ request: BuildRequest) async -> BuildReport {
        var notWritten: [OutputFile]? = nil
        return await run(request, keepingFilesIn: &notWritten)
    }

    /// Runs a whole build like `run(_:)` but writes nothing (and skips the output-folder checks): `sopsite serve` keeps
    /// the site in memory. The files are empty unless the build succeeded; assets are included.
    public static func render(_ request: BuildRequest) async -> (report: BuildReport, files: [OutputFile]) {
        var files: [OutputFile]? = []
        let report = await run(request, keepingFilesIn: &files)
        return (report, files ?? [])
    }

    /// `memory` nil: write the site; non-nil: receive the files instead.
    private static func run(_ request: BuildRequest, keepingFilesIn memory: inout [OutputFile]?) async -> BuildReport {
        let background = BackgroundWork()
        let report = await run(request, keepingFilesIn: &memory, background: background)
        await background.finish()
        return report
    }

    private static func run(_ request: BuildRequest, keepingFilesIn memory: inout [OutputFile]?,
                            background: BackgroundWork) async -> BuildReport {
        var report = BuildReport()
        let manager = FileManager.default
        let repositoryPath = absolute(request.repository)
        var outputPath = absolute(request.output ?? "_site")
        report.outputPath = outputPath
        let here = SourceLocation(RepoPath(""))

        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: repositoryPath, isDirectory: &isFolder), isFolder.boolValue else {
            report.diagnostics.append(.error("build.no-repository", "there is no folder \(repositoryPath)", at: here,
                                             fix: "pass --repo with the top folder of a Git repository"))
            return finish(report)
        }

        // A bare repository (a CI mirror) has no working tree: its files are read from HEAD.
        let source = SourceReader.open(repositoryPath: repositoryPath)
        if request.output == nil {
            outputPath = defaultOutput(repositoryPath: repositoryPath, isBare: source.isBare)
            report.outputPath = outputPath
        }

        // Configuration.
        let loadedConfig = source.siteConfig(content: request.content)
        var config = loadedConfig.value
        report.diagnostics += loadedConfig.diagnostics
        if let base = request.baseURL { config.baseURL = base }
        if request.output == nil, let configured = config.output {
            outputPath = absolute(configured.hasPrefix("/") ? configured : repositoryPath + "/" + configured)
            report.outputPath = outputPath
        }
        let calendar = SiteCalendar(timeZone: config.timeZone) ?? SiteCalendar(timeZone: "UTC")!
        let now: Day
        switch request.now {
        case .day(let day): now = day
        case .instant(let instant): now = calendar.day(of: instant)
        }
        report.now = now

        let contentPath = config.contentRoot.value.isEmpty ? repositoryPath : repositoryPath + "/" + config.contentRoot.value
        guard source.isBare || (manager.fileExists(atPath: contentPath, isDirectory: &isFolder) && isFolder.boolValue) else {
            report.diagnostics.append(.error("build.no-content", "the content folder \(config.contentRoot.value.isEmpty ? "." : config.contentRoot.value) does not exist in \(repositoryPath)",
                                             at: here, fix: "pass --content FOLDER (e.g. --content . for Markdown at the top) or set content: in sopsite.yml"))
            return finish(report)
        }
        if request.mode == .build, memory == nil,
           let problem = OutputGuard.check(output: outputPath, repository: repositoryPath, gitDirectory: nil, content: contentPath, force: request.force) {
            report.diagnostics.append(problem)
            return finish(report)
        }

        // A bare repository (a CI mirror) gets no cache folder unless one is named: nothing is written into Git's own.
        let cacheFolder = (source.isBare && request.cache == .automatic ? nil : BuildCache.folder(for: request.cache, repository: repositoryPath))
            .map(BuildCache.init(folder:))
        if let folder = cacheFolder?.folder, case .folder = request.cache,
           let problem = OutputGuard.checkCache(folder, output: outputPath, repository: repositoryPath, content: contentPath) {
            report.diagnostics.append(problem)
            return finish(report)
        }
        if let folder = cacheFolder?.folder, request.cache == .automatic, memory == nil,
           let problem = OutputGuard.checkOutput(outputPath, againstDefaultCache: (folder as NSString).deletingLastPathComponent) {
            report.diagnostics.append(problem)
            return finish(report)
        }
        cacheFolder?.removeAbandonedFiles()
        // The spare site (see SpareSite) is checked while documents load and history is read: 44,000 file identities at
        // 2,000 SOPs. Only a build that writes the site uses it.
        // So are the pages the last build recorded.
        let siteFolder = outputPath
        let writing = request.mode == .build && memory == nil
        // Each on a thread of its own (`ThreadTask`), not the cooperative pool the build's own steps run on.
        let spareCheck: ThreadTask<SpareSite?>? = writing ? cacheFolder.map { cache in ThreadTask(background: true) { SpareSite(cache: cache, output: siteFolder) } } : nil
        let previousPages: ThreadTask<[String: PreviousRender.StoredPages]>? =
            writing ? cacheFolder.map { cache in ThreadTask(background: true) { PreviousRender.load(from: cache, output: siteFolder) } } : nil

        // Ignore-revs and owners files (both optional).
        let ignoredRevisions = source.ignoredRevisions(config)
        let ignored = ignoredRevisions.value
        report.diagnostics += ignoredRevisions.diagnostics
        var owners = Owners()
        let ownerCandidates = config.ownersFile.map { [$0] } ?? [config.contentRoot.appending("owners.yml"), RepoPath("owners.yml")]
        for candidate in ownerCandidates {
            if let data = source.read(candidate) {
                let loaded = Owners.load(SourceFile(path: candidate, bytes: data))
                owners = loaded.value
                report.diagnostics += loaded.diagnostics
                break
            } else if config.ownersFile != nil {
                report.diagnostics.append(.error("config.owners", "the owners file \(candidate.value) cannot be read: it is missing, "
                                                 + "or a link that leads outside the repository", at: SourceLocation(RepoPath("sopsite.yml")),
                                                 fix: "create it inside the repository, or correct owners: in sopsite.yml"))
            }
        }

        // History and documents are independent stages: run them side by side.
        let contentRoot = config.contentRoot
        var historyOptions = HistoryIndex.Options(folder: contentRoot, ignoredRevisions: ignored)
        historyOptions.allowShallow = request.allowShallow
        let renderMemory = request.memory
        // Facts learned by earlier builds (in this server's memory, else in the cache folder) are reused.
        let historyTask = ThreadTask { [historyOptions] in
            HistoryStage.run(repositoryPath: repositoryPath, options: historyOptions, cacheFolder: cacheFolder, memory: renderMemory)
        }
        // The documents' memo (10 MB at 2,000 SOPs) is read from the cache while the content folder is read.
        let documentsHeader = "sopsite documents; " + BuildCache.binaryIdentity + "; content " + contentRoot.value
        let storedMemo = renderMemory == nil ? cacheFolder.map { cache in
            ThreadTask { cache.read(BuildCache.documentsFile).flatMap { DocumentMemo($0, header: documentsHeader) } }
        } : nil
        var clock = StageClock()
        BuildProgress.current?.report(.started("reading documents and walking the history"))
        let tree = source.contentTree(contentRoot: contentRoot, skipping: [outputPath] + (cacheFolder.map { [$0.folder] } ?? []))
        report.diagnostics += tree.diagnostics
        // Documents are loaded from the working tree while the history walk runs.
        let loader = DocumentLoader(contentRoot: contentRoot)
        // Files whose bytes an earlier build parsed are not parsed again (in this server's memory, else the cache folder).
        var memo: DocumentMemo
        if let renderMemory {
            memo = renderMemory.documents
        } else {
            memo = await storedMemo?.value ?? DocumentMemo()
        }
        let remembered = memo.count
        let workingCopies = await loader.loadConcurrently(tree.value.markdown, memo: &memo)
        report.documentsParsed = memo.parsed
        if let renderMemory {
            renderMemory.documents = memo
        } else if let cacheFolder, memo.parsed > 0 || memo.count != remembered {
            // Written while the build goes on (10 MB at 2,000 SOPs); the build returns only when it is done.
            let remembered = memo
            background.start { cacheFolder.write(pieces: remembered.pieces(header: documentsHeader), to: BuildCache.documentsFile) }
        }
        clock.lap("read and load documents", into: &report)

        var history: HistoryIndex
        let (historyOutcome, historyDuration) = await historyTask.value
        report.timings.append(("history pass (alongside)", Double(historyDuration.components.seconds) + Double(historyDuration.components.attoseconds) / 1e18))
        switch historyOutcome {
        case .success(let result):
            history = result.value
            report.diagnostics += result.diagnostics
        case .failure(let error):
            report.diagnostics.append(.error("git.open", error.message, at: here))
            return finish(report)
        }
        clock.lap("history (waited for)", into: &report)
        // What the history pass freed (libgit2's objects) goes back to the system before pages are rendered: glibc's
        // allocator otherwise keeps it, and the process stayed near its history-pass peak throughout rendering.
        returnFreedMemory()
        report.commitsWalked = history.commitCount

        // Working copies that differ from HEAD are shown, and flagged (field case B06); with --committed-only the
        // committed version is built instead and untracked files are left out.
        var replaced: [SourceFile] = []
        var left: Set<RepoPath> = []
        var uncommitted: Set<RepoPath> = []
        // Opened once, and only when committed versions are needed.
        let committedReader: Result<Repository, GitError>? = request.committedOnly
            ? Result { () throws(GitError) in try Repository.open(at: repositoryPath) } : nil
        // Git's blob ids of the working copies: remembered by content checksum from earlier builds, else hashed (SHA-1
        // with collision detection over 10 MB at 2,000 SOPs took a tenth of a rebuild), on every processor.
        let blobIDs = BlobIDMemo.load(memory: renderMemory, cache: cacheFolder)
        let (loadedMemo, headHistory) = (memo, history)
        let workingBlobs = ParallelChunks.mapWaiting(tree.value.markdown) { files in
            files.map { file -> (checksum: String?, blob: String, hashed: Bool) in
                guard headHistory[file.path] != nil else { return (nil, "", false) }
                let checksum = loadedMemo.checksum(of: file.path)
                if let checksum, let known = blobIDs.ids[checksum] { return (checksum, known, false) }
                return (checksum, ObjectID.blob(hashing: file.bytes).hex, true)
            }
        }.flatMap { $0 }
        BlobIDMemo.keep(workingBlobs.compactMap { found in found.checksum.map { ($0, found.blob) } },
                        hashed: workingBlobs.contains { $0.hashed }, after: blobIDs, memory: renderMemory, cache: cacheFolder,
                        background: background)
        for (file, (_, blob, _)) in zip(tree.value.markdown, workingBlobs) {
            guard let committed = history[file.path] else {
                if request.committedOnly { left.insert(file.path) }
                continue
            }
            guard blob != committed.headBlob else { continue }
            if let committedReader, let blob = ObjectID(hex: committed.headBlob) {
                do {
                    let repository = try committedReader.get()
                    replaced.append(SourceFile(path: file.path, bytes: try repository.blob(blob)))
                    left.insert(file.path)
                } catch {
                    report.diagnostics.append(.error("git.read", error.message, at: SourceLocation(file.path)))
                }
            } else {
                uncommitted.insert(file.path)
            }
        }
        // A file moved or renamed but not committed yet (`git mv`, or a plain move, with the same bytes) keeps the
        // history of the file it was at HEAD, flagged as uncommitted, as `git status` shows it as a rename: without
        // this its page lost every revision and review until the commit.
        if !request.committedOnly {
            let pending = Self.pendingRenames(tree.value.markdown, history: history)
            if !pending.isEmpty {
                history = history.following(pending)
                uncommitted.formUnion(pending.keys)
            }
        }
        var loaded = workingCopies
        if !left.isEmpty {
            loaded.value.removeAll { left.contains($0.path) }
            loaded.diagnostics.removeAll { left.contains($0.location.path) }
            let committed = loader.load(replaced)
            loaded.value = (loaded.value + committed.value).sorted { $0.path < $1.path }
            loaded.diagnostics = (loaded.diagnostics + committed.diagnostics).sorted()
        }
        report.diagnostics += loaded.diagnostics

        var siteOptions = Site.Options()
        siteOptions.uncommitted = uncommitted
        siteOptions.assets = tree.value.assets.map(\.path)
        siteOptions.includeDrafts = request.includeDrafts
        siteOptions.owners = owners
        siteOptions.unloadable = Set(tree.value.markdown.map(\.path)).subtracting(loaded.value.map(\.path))
        let assembled = Site.assemble(documents: loaded.value, history: history, config: config, now: now, options: siteOptions)
        report.diagnostics += assembled.diagnostics
        let site = assembled.value
        clock.lap("assemble site", into: &report)
        report.pages = site.pages.count
        report.processes = site.processes.count
        // SOPs in force only, as the home page, the dashboard and `sopsite check` count them.
        report.overdue = site.pages.filter { !$0.isObsolete && $0.review.state == .overdue }.count
        report.dueSoon = site.pages.filter { !$0.isObsolete && $0.review.state == .dueSoon }.count

        var theme = Theme.builtIn
        if let override = request.themeOverride ?? config.themeFolder.map({ repositoryPath + "/" + $0.value }) {
            do {
                theme = theme.overlaid(with: try Theme.load(from: absolute(override)))
            } catch {
                report.diagnostics.append(.error("theme.load", error.description, at: here, fix: "pass --theme with a folder laid out like theme/"))
                return finish(report)
            }
        }

        // Rendered even when there are errors, so that one run reports every problem (broken links too); only a clean
        // build is written. A clean build streams its pages into the staging folder as they are rendered, so a large
        // site is never held in memory whole.
        let writesSite = request.mode == .build && memory == nil && !report.diagnostics.contains { $0.severity == .error }
        // Templates, sidebar and render keys are made while the spare site's check may still be running.
        let renderer = SiteRenderer(theme: theme, allowRawHTML: config.allowRawHTML)
        let publishesRevisions = request.mode == .build && (request.revisionPages ?? config.revisionPages)
        let prepared: SiteRenderer.Prepared
        do {
            prepared = try await renderer.prepare(site, keyed: renderMemory != nil || (writesSite && previousPages != nil),
                                                  revisions: publishesRevisions)
        } catch {
            renderMemory?.finishBuild(succeeded: false)
            report.diagnostics.append(.error("theme.render", error.description, at: here))
            return finish(report)
        }
        clock.lap("prepare pages (templates, sidebar, render keys)", into: &report)
        var staging: SiteWriter.Staging?
        if writesSite {
            do {
                // With a cache, the site before last is kept there and updated in place (see SpareSite).
                staging = try SiteWriter.Staging(output: outputPath, spare: await spareCheck?.value)
            } catch {
                report.diagnostics.append(.error("output.write", "could not write the site: \(error)", at: SourceLocation(RepoPath(outputPath))))
                return finish(report)
            }
        }
        clock.lap("open the staging folder (spare site checked)", into: &report)
        // Every revision of every SOP is published from its blob (never the working tree), read as each chunk of SOPs
        // is rendered, through a repository handle of its own (libgit2 handles are not shared between threads).
        var revisionTexts: SiteRenderer.RevisionTexts?
        var revisionFailures: FailureBox?
        if publishesRevisions {
            let failures = FailureBox()
            revisionTexts = { blobs in
                var texts: [String: String] = [:]
                do throws(GitError) {
                    let repository = try Repository.open(at: repositoryPath)
                    for hex in blobs {
                        guard let id = ObjectID(hex: hex) else { continue }
                        texts[hex] = String(decoding: try repository.blob(id), as: UTF8.self)
                    }
                } catch {
                    failures.record(error.message)
                }
                return texts
            }
            revisionFailures = failures
        }

        BuildProgress.current?.report(.started("rendering \(site.pages.count) pages"))
        let rendered: Diagnosed<[OutputFile]>
        var previousRender: PreviousRender?
        do {
            var sink: SiteRenderer.FileSink?
            if let staging { sink = { files in staging.write(files) } }
            var renderCache: (any RenderCache)? = renderMemory
            if let staging, let previousPages {
                previousRender = PreviousRender(previous: await previousPages.value, staging: staging)
                renderCache = previousRender
            }
            clock.lap("previous pages loaded", into: &report)
            rendered = try await renderer.render(prepared, revisionTexts: revisionTexts, sink: sink, cache: renderCache)
        } catch {
            renderMemory?.finishBuild(succeeded: false)
            staging?.abandon()
            report.diagnostics.append(.error("theme.render", error.description, at: here))
            return finish(report)
        }
        if let message = revisionFailures?.first {
            report.diagnostics.append(.error("git.read", "could not read earlier revisions: \(message)", at: here))
        }
        clock.lap("render", into: &report)
        report.diagnostics += rendered.diagnostics
        renderMemory?.finishBuild(succeeded: !report.diagnostics.contains { $0.severity == .error })
        report.reusedSOPs = previousRender?.reused ?? 0
        // A file of the content folder published where sopsite writes one of its own (the theme's `assets/style.css`, a
        // revision page) would silently replace it.
        let renderedPaths = staging == nil ? Set(rendered.value.map(\.path)) : []
        for asset in tree.value.assets {
            guard let url = site.assets[asset.path] else { continue }
            let path = String(url.dropFirst())
            guard staging?.holdsFile(path) ?? renderedPaths.contains(path) else { continue }
            report.diagnostics.append(.error("content.reserved-url", "this file would be published at \(url), where sopsite writes a file of its own "
                                             + "(a theme asset, a revision page or the search index)", at: SourceLocation(asset.path),
                                             fix: "rename the file or move it to another folder"))
        }
        if case .check(let threshold) = request.mode {
            report.diagnostics = CheckPolicy.apply(to: report.diagnostics, site: site, threshold: threshold)
            return finish(report)
        }
        guard !report.diagnostics.contains(where: { $0.severity == .error }) else {
            staging?.abandon()
            return finish(report)
        }

        var files = rendered.value
        for asset in tree.value.assets {
            guard let url = site.assets[asset.path] else { continue }
            files.append(OutputFile(path: String(url.dropFirst()), bytes: asset.bytes))
        }
        if memory != nil {
            // The renderer's files come sorted (23,000 at 2,000 SOPs, a server's every rebuild): sorted again only
            // when assets were added.
            memory = tree.value.assets.isEmpty ? files : files.sorted { $0.path < $1.path }
            return finish(report)
        }
        guard let staging else { return finish(report) }
        BuildProgress.current?.report(.started("writing the last \(files.count) files"))
        do {
            staging.write(files)
            // The page record is taken before the swap and written while it happens.
            if let previousRender, let cacheFolder, let record = previousRender.record(filesIn: staging.path, output: outputPath) {
                background.start { PreviousRender.save(record, to: cacheFolder) }
            }
            try staging.commit(background: background)
            report.filesWritten = staging.filesWritten
            report.filesRewritten = staging.filesRewritten
            report.updatedSpareSite = staging.isRecycling
            clock.lap("write", into: &report)
        } catch {
            report.diagnostics.append(.error("output.write", "could not write the site: \(error)", at: SourceLocation(RepoPath(outputPath))))
        }
        if request.keepsMemoryUntilExit { UntilExit.keep([tree, memo, workingCopies, loaded, history, site, rendered, files, previousRender as Any, staging]) }
        return finish(report)
    }

    private static func finish(_ report: BuildReport) -> BuildReport {
        var report = report
        report.diagnostics.sort()
        return report
    }

    /// Working files that are not at HEAD but hold exactly the bytes of a file at HEAD that is no longer in the working
    /// tree (a move not committed yet): new path → path at HEAD. Only exact copies (git would also pair edited files by
    /// similarity); each file at HEAD is paired once, in path order.
    static func pendingRenames(_ files: [SourceFile], history: HistoryIndex) -> [RepoPath: RepoPath] {
        let present = Set(files.map(\.path))
        let gone = history.paths.filter { !present.contains($0) }
        guard !gone.isEmpty else { return [:] }
        var byBlob: [String: [RepoPath]] = [:]
        for path in gone { if let blob = history[path]?.headBlob { byBlob[blob, default: []].append(path) } }
        var renames: [RepoPath: RepoPath] = [:]
        for file in files.sorted(by: { $0.path < $1.path }) where history[file.path] == nil {
            let blob = ObjectID.blob(hashing: file.bytes).hex
            guard var candidates = byBlob[blob], !candidates.isEmpty else { continue }
            renames[file.path] = candidates.removeFirst()
            byBlob[blob] = candidates
        }
        return renames
    }

    /// Where a site goes when neither `--out` nor `output:` says: `_site` at the top of the repository (as the cache
    /// goes into it, whatever the working folder), or in the working folder for a bare repository (a CI mirror).
    static func defaultOutput(repositoryPath: String, isBare: Bool) -> String {
        isBare ? absolute("_site") : repositoryPath + "/_site"
    }

    /// Resolves a user-given path against the working folder and removes `.`/`..` and trailing slashes.
    static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: base).standardizedFileURL.path
    }
}

/// Hands freed heap pages back to the system (glibc's `malloc_trim`, looked up by name: Swift's Glibc module does not
/// import malloc.h); nothing where there is no such function.
func returnFreedMemory() {
    #if os(Linux)
    typealias Trim = @convention(c) (Int) -> Int32
    if let symbol = mallocTrimSymbol { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
    #endif
}

#if os(Linux)
// A function address, immutable once looked up.
nonisolated(unsafe) private let mallocTrimSymbol: UnsafeMutableRawPointer? = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim")
#endif

/// Values kept alive until the process exits (`BuildRequest.keepsMemoryUntilExit`).
enum UntilExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keep(_ values: [Any]) { lock.withLock { kept.append(values) } }
}

/// Work a build starts and need not wait for until it ends (writing a cache file), each on a thread of its own
/// (`ThreadTask`).
final class BackgroundWork: @unchecked Sendable {
    // @unchecked: `tasks` is only touched under `lock`.
    private let lock = NSLock()
    private var tasks: [ThreadTask<Void>] = []

    func start(_ work: @escaping @Sendable () -> Void) {
        let task = ThreadTask(background: true, work)
        lock.withLock { tasks.append(task) }
    }

    /// Waits for everything started.
    func finish() async {
        for task in lock.withLock({ tasks }) { await task.value }
    }
}

/// The first failure reported from concurrent tasks.
final class FailureBox: @unchecked Sendable {
    // @unchecked: `messages` is only touched under `lock`.
    private let lock = NSLock()
    private var messages: [String] = []

    func record(_ message: String) { lock.withLock { messages.append(message) } }
    var first: String? { lock.withLock { messages.first } }
}

/// Wall time per stage, for `--verbose` (never in the site: output must not depend on the clock).
struct StageClock {
    private var last = ContinuousClock.now

    mutating func lap(_ stage: String, into report: inout BuildReport) {
        let now = ContinuousClock.now
        let elapsed = now - last
        report.timings.append((stage, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        BuildProgress.current?.report(.finished(stage: stage, seconds: report.timings[report.timings.count - 1].seconds))
        last = now
    }
}
