import Documents
import Foundation
import GFM
import Mustache
import SiteModel
import SOPCore

/// Renders a `Site` into files in memory: home, process and SOP pages, the search index (`search/`), `api/pages.json` and
/// the theme's assets. Never touches the disk (SopsiteKit writes), so tests compare files directly.
public struct SiteRenderer: Sendable {
    public let theme: Theme
    let markdown: MarkdownRenderer
    /// Which of the theme's templates are the built-in ones that `BuiltInTemplates` renders without Mustache.
    let builtIn: BuiltInTemplates

    public init(theme: Theme, allowRawHTML: Bool = false) {
        self.theme = theme
        self.markdown = MarkdownRenderer(allowRawHTML: allowRawHTML)
        self.builtIn = BuiltInTemplates(theme: theme)
    }

    /// Blob ids (hex) → texts, for the revisions one chunk of SOPs publishes; called from several tasks at once, so it
    /// must be safe to call concurrently (SopsiteKit opens one repository handle per call).
    public typealias RevisionTexts = @Sendable (_ blobs: [String]) -> [String: String]
    /// Receives rendered files as chunks of SOPs finish, from several tasks at once, in no particular order.
    public typealias FileSink = @Sendable (_ files: [OutputFile]) -> Void

    /// SOPs per chunk of parallel work: small enough that the pages of the chunks in flight stay a few MB (a chunk of 16
    /// SOPs with their earlier revisions is about 150 pages), large enough that scheduling costs nothing.
    static let sopsPerChunk = 16

    /// Renders every output file. SOP pages and revision pages are rendered in parallel chunks (each with its own
    /// cmark parser); without a sink the files are collected and returned sorted by path, so the output does not
    /// depend on scheduling.
    /// - Parameters:
    ///   - revisionTexts: where the texts of earlier revisions come from; nil publishes no revision pages
    ///     (`/sop/<id>/rev/<n>.html`).
    ///   - sink: when given, every file goes to it as soon as its chunk is done and the returned list is empty, so a
    ///     large site is never held in memory whole (peak memory stays flat in the number of pages).
    /// - Returns: the files (none with a sink), and warnings for links that point at nothing the site publishes
    ///   (with file and line).
    /// - Throws: `OutputError` when a theme template is missing or does not parse.
    public func render(_ site: Site, revisionTexts: RevisionTexts? = nil, sink: FileSink? = nil,
                       cache: (any RenderCache)? = nil) async throws(OutputError) -> Diagnosed<[OutputFile]> {
        let prepared = try await prepare(site, keyed: cache != nil, revisions: revisionTexts != nil)
        return try await render(prepared, revisionTexts: revisionTexts, sink: sink, cache: cache)
    }

    /// What every page of a site is rendered with, made before any page: the parsed templates, the sidebar and reading
    /// order, and the render keys. A build makes it while it waits for its output folder (`render(_:revisionTexts:
    /// sink:cache:)` with a `Prepared`).
    public struct Prepared: Sendable {
        let site: Site
        let library: MustacheLibrary
        let navigation: NavigationCache
        let order: ReadingOrder
        let keys: RenderKey?
        /// Each SOP's metadata digest (`RenderKey.metadata(of:)`), in `site.pages + site.unassigned` order.
        let metadata: [String]?
        let siteKey: String?
        let revisions: Bool
    }

    /// Prepares `site` for rendering.
    /// - Parameters:
    ///   - keyed: compute the render keys (rendering with a cache).
    ///   - revisions: the pages will be rendered with revision pages (the keys say so).
    /// - Throws: `OutputError` when a theme template is missing or does not parse.
    public func prepare(_ site: Site, keyed: Bool, revisions: Bool) async throws(OutputError) -> Prepared {
        // The templates are parsed while the keys are computed.
        let theme = theme
        async let parsedLibrary = Result { () throws(OutputError) in try theme.library() }
        let navigation = NavigationCache(site: site)
        let order = ReadingOrder(site: site)
        let keys = keyed ? RenderKey(site: site, theme: theme, allowRawHTML: markdown.allowRawHTML, revisions: revisions) : nil
        // Each SOP's metadata digest, once: the SOP's key adds its body, the site group's key joins them all.
        var metadata: [String]? = nil
        var siteKey: String? = nil
        if let keys {
            // By index: a joined copy of 2,000 pages cost more than hashing some of them.
            let (pages, unassigned) = (site.pages, site.unassigned)
            let digests = await ParallelChunks.map(Array(0..<(pages.count + unassigned.count))) { chunk in
                chunk.map { keys.metadata(of: $0 < pages.count ? pages[$0] : unassigned[$0 - pages.count]) }
            }.flatMap { $0 }
            metadata = digests
            siteKey = keys.siteKey(site, metadata: digests)
        }
        return Prepared(site: site, library: try await parsedLibrary.get(), navigation: navigation, order: order, keys: keys,
                        metadata: metadata, siteKey: siteKey, revisions: revisions)
    }

    /// `render(_:revisionTexts:sink:cache:)` of a prepared site; `revisionTexts` must be given exactly when it was
    /// prepared with revisions, and `cache` when it was keyed.
    public func render(_ prepared: Prepared, revisionTexts: RevisionTexts?, sink: FileSink?,
                       cache: (any RenderCache)?) async throws(OutputError) -> Diagnosed<[OutputFile]> {
        precondition(prepared.revisions == (revisionTexts != nil) && (prepared.keys != nil) == (cache != nil),
                     "rendered as prepared: with revisions and a cache exactly when prepared so")
        let (site, library, navigation, order, keys, metadata, siteKey) =
            (prepared.site, prepared.library, prepared.navigation, prepared.order, prepared.keys, prepared.metadata, prepared.siteKey)
        // The site's own pages do not depend on the SOP pages: they are made (or reused) while the SOP chunks render.
        // api/pages.json shows which SOPs have uncommitted edits, which the site group leaves out: it has a key of its own.
        let (ownKey, apiKey) = (siteKey, keys.flatMap { keys in siteKey.map { keys.pagesAPIKey(site, siteKey: $0) } })
        async let ownPart = siteOwnPart(site, library: library, navigation: navigation, cache: cache, key: ownKey)
        async let pagesAPI = pagesAPIPart(site, cache: cache, key: apiKey)

        // SOP pages and their earlier revisions: the bulk of the work.
        let chunks = max(1, (site.pages.count + Self.sopsPerChunk - 1) / Self.sopsPerChunk)
        let work = site.pages.indices.map { (sop: site.pages[$0], metadata: metadata?[$0]) }
        let results = await ParallelChunks.map(work, maxChunks: chunks) { chunk -> Result<SOPChunk, OutputError> in
            do throws(OutputError) {
                var done = SOPChunk()
                var toRender: [(sop: SOPPage, key: String?)] = []
                for (sop, digest) in chunk {
                    guard let cache, let keys, let digest else {
                        toRender.append((sop, nil))
                        continue
                    }
                    let key = keys.key(for: sop, metadata: digest)
                    if let reused = cache.reuse(key: key) {
                        done.searchEntries += reused.pages.entries
                        done.diagnostics += reused.pages.diagnostics
                        done.files += reused.files
                    } else {
                        toRender.append((sop, key))
                    }
                }
                let texts = revisionTexts?(Self.revisionBlobs(toRender.map(\.sop)[...])) ?? [:]
                for (sop, key) in toRender {
                    var rendered = try renderSOPs([sop][...], library: library, navigation: navigation, order: order, site: site,
                                                  revisionLinks: revisionTexts != nil)
                    if revisionTexts != nil {
                        rendered.files += try revisionPages([sop], site: site, texts: texts, library: library, navigation: navigation)
                    }
                    if let key, let cache {
                        cache.keep(key: key, RenderedPages(entries: rendered.searchEntries, diagnostics: rendered.diagnostics,
                                                           paths: rendered.files.map(\.path)), files: rendered.files)
                    }
                    done.searchEntries += rendered.searchEntries
                    done.diagnostics += rendered.diagnostics
                    done.files += rendered.files
                }
                if let sink {
                    sink(done.files)
                    done.files = []
                }
                return .success(done)
            } catch {
                return .failure(error)
            }
        }
        // The processes' search entries come first, then the SOPs' in page order.
        let own = try await ownPart.get()
        var files = own.files
        var diagnostics = own.diagnostics
        var searchEntries = own.searchEntries
        for result in results {
            let chunk = try result.get()
            files += chunk.files
            diagnostics += chunk.diagnostics
            searchEntries += chunk.searchEntries
        }
        files += SearchIndex.build(site, entries: searchEntries)
        files += await pagesAPI
        for (name, bytes) in theme.assets.sorted(by: { $0.key < $1.key }) {
            files.append(OutputFile(path: "assets/" + name, bytes: bytes))
        }
        if let sink {
            // The search index's 2,000 files and the site's own pages, on every processor: a rebuild compares each
            // with the file it would replace.
            _ = ParallelChunks.mapWaiting(files) { sink(Array($0)) }
            files = []
        }
        return Diagnosed(files.sorted { $0.path < $1.path }, diagnostics: diagnostics.sorted())
    }

    /// `api/pages.json`: reused under `key` when the cache has it, else made (the files to emit: none when reused
    /// in place).
    private func pagesAPIPart(_ site: Site, cache: (any RenderCache)?, key: String?) -> [OutputFile] {
        if let cache, let key, let reused = cache.reuse(key: key) { return reused.files }
        let file = OutputFile(path: "api/pages.json", bytes: PagesAPI.build(site))
        if let cache, let key { cache.keep(key: key, RenderedPages(entries: [], diagnostics: [], paths: [file.path]), files: [file]) }
        return [file]
    }

    /// The site's own pages (process pages, home, lists, dashboard, review outputs) with the processes' search
    /// entries: reused under `key` when the cache has them, else rendered, as two tasks side by side.
    private func siteOwnPart(_ site: Site, library: MustacheLibrary, navigation: NavigationCache, cache: (any RenderCache)?,
                             key: String?) async -> Result<SOPChunk, OutputError> {
        if let cache, let key, let reused = cache.reuse(key: key) {
            return .success(SOPChunk(files: reused.files, diagnostics: reused.pages.diagnostics, searchEntries: reused.pages.entries))
        }
        async let processesPart = processPages(site, library: library, navigation: navigation)
        async let sitePart = sitePages(site, library: library, navigation: navigation)
        do throws(OutputError) {
            var own = try await processesPart.get()
            let rest = try await sitePart.get()
            own.files += rest.files
            own.diagnostics += rest.diagnostics
            if let cache, let key {
                cache.keep(key: key, RenderedPages(entries: own.searchEntries, diagnostics: own.diagnostics, paths: own.files.map(\.path)),
                           files: own.files)
            }
            return .success(own)
        } catch {
            return .failure(error)
        }
    }

    /// Process pages, with their search entries.
    private func processPages(_ site: Site, library: MustacheLibrary, navigation: NavigationCache) -> Result<SOPChunk, OutputError> {
        do throws(OutputError) {
            var files: [OutputFile] = []
            var diagnostics: [Diagnostic] = []
            var searchEntries: [SearchIndex.Entry] = []
            for process in site.processes {
                var html = ""
                if let document = process.document {
                    let rendered = renderBody(document, permalink: process.permalink, site: site)
                    html = rendered.value.html
                    diagnostics += rendered.diagnostics
                    searchEntries.append(SearchIndex.Entry(process: process, site: site, headings: rendered.value.headings.map(\.text),
                                                           plainText: rendered.value.plainText))
                } else {
                    searchEntries.append(SearchIndex.Entry(process: process, site: site, headings: [], plainText: ""))
                }
                files.append(try page(library, navigation, site, "layouts/process", processView(process, html: html, site: site),
                                      title: process.title, permalink: process.permalink, description: process.document?.outcome ?? ""))
            }
            return .success(SOPChunk(files: files, diagnostics: diagnostics, searchEntries: searchEntries))
        } catch {
            return .failure(error)
        }
    }

    /// Home, the search page, lists, dashboard, review outputs and 404.
    private func sitePages(_ site: Site, library: MustacheLibrary, navigation: NavigationCache) -> Result<SOPChunk, OutputError> {
        do throws(OutputError) {
            var files: [OutputFile] = []
            files.append(try page(library, navigation, site, "layouts/home", homeView(site), title: site.config.title, permalink: "/"))
            files.append(try page(library, navigation, site, "layouts/search", searchPageListing(site),
                                  title: "Search", permalink: "/search/"))
            files += try listPages(site, library: library, navigation: navigation)
            files.append(try page(library, navigation, site, "layouts/dashboard", dashboardView(site), title: "Review dashboard",
                                  permalink: "/reviews/", scripts: ["dashboard.js"]))
            files.append(OutputFile(path: "review.json", bytes: ReviewOutputs.json(site)))
            files.append(OutputFile(path: "register.csv", bytes: ReviewOutputs.register(site)))
            files += ReviewOutputs.calendars(site)
            // A host serves 404.html at whatever URL was asked for, so its links start from the site's base path.
            let basePath = Self.basePath(of: site.config.baseURL)
            files.append(OutputFile(path: "404.html", text: try layout(library, LayoutView(
                siteTitle: site.config.title, pageTitle: "Page not found", root: basePath,
                content: try render(library, "layouts/404", ["siteTitle": site.config.title]),
                navigation: navigation.items(for: "/", current: "").map {
                    NavigationItem(title: $0.title, url: basePath + $0.url, isCurrent: false, pages: [])
                }, description: "", isHome: false, scripts: []))))
            return .success(SOPChunk(files: files))
        } catch {
            return .failure(error)
        }
    }

    /// The blobs (hex) of every revision the SOPs in `pages` publish.
    static func revisionBlobs(_ pages: ArraySlice<SOPPage>) -> [String] {
        var seen: Set<String> = []
        return pages.flatMap { sop in sop.history.compactMap { $0.kind.isRevision ? $0.blob : nil } }.filter { seen.insert($0).inserted }
    }

    private struct SOPChunk: Sendable {
        var files: [OutputFile] = []
        var diagnostics: [Diagnostic] = []
        var searchEntries: [SearchIndex.Entry] = []
    }

    private func renderSOPs(_ pages: ArraySlice<SOPPage>, library: MustacheLibrary, navigation: NavigationCache, order: ReadingOrder,
                            site: Site, revisionLinks: Bool) throws(OutputError) -> SOPChunk {
        var chunk = SOPChunk()
        for sop in pages {
            let rendered = renderBody(sop.document, permalink: sop.permalink, site: site)
            chunk.diagnostics += rendered.diagnostics
            chunk.searchEntries.append(SearchIndex.Entry(sop: sop, site: site, headings: rendered.value.headings.map(\.text),
                                                         plainText: rendered.value.plainText))
            let view = sopView(sop, rendered: rendered.value, site: site, order: order, revisionLinks: revisionLinks)
            chunk.files.append(try page(library, navigation, site, "layouts/sop", view,
                                        content: builtIn.sop ? BuiltInTemplates.sop(view) : nil,
                                        title: "\(sop.document.title) (\(sop.document.id))", permalink: sop.permalink,
                                        description: sop.document.scope ?? "", scripts: ["print.js"]))
        }
        return chunk
    }

    /// One page: its template rendered, then wrapped in the layout.
    /// - Parameter content: the template already rendered (by `BuiltInTemplates`); nil renders it through Mustache.
    func page(_ library: MustacheLibrary, _ navigation: NavigationCache, _ site: Site, _ template: String, _ view: Any, content: String? = nil,
              title: String, permalink: String, description: String = "", scripts: [String] = []) throws(OutputError) -> OutputFile {
        let content = if let content { content } else if let swift = builtIn.render(template, view) { swift } else { try render(library, template, view) }
        let view = LayoutView(siteTitle: site.config.title, pageTitle: title, root: Self.root(from: permalink), content: content,
                              navigation: builtIn.layout ? [] : navigation.items(for: permalink, current: permalink), description: description,
                              isHome: permalink == "/", scripts: scripts, notice: Self.notice(site))
        // The built-in layout takes the sidebar's HTML joined from fragments kept per folder.
        let text = builtIn.layout ? BuiltInTemplates.layout(view, navigationHTML: navigation.html(for: permalink)) : try layout(library, view)
        return OutputFile(path: String(permalink.dropFirst()) + "index.html", text: text)
    }

    /// The layout around a page's content: the built-in one in Swift, a theme's own through Mustache.
    func layout(_ library: MustacheLibrary, _ view: LayoutView) throws(OutputError) -> String {
        if builtIn.layout { return BuiltInTemplates.layout(view, navigationHTML: BuiltInTemplates.navigation(view.navigation)) }
        return try render(library, "layouts/layout", view)
    }

    func render(_ library: MustacheLibrary, _ template: String, _ view: Any) throws(OutputError) -> String {
        // swift-mustache returns nil for a missing template; that is a broken theme, not a writer's mistake.
        guard let text = library.render(view, withTemplate: template) else {
            throw OutputError("the theme has no template \(template).mustache")
        }
        return text
    }

    /// The site-wide warning for every page.
    static func notice(_ site: Site) -> String {
        site.isHistoryIncomplete
            ? "This site was built from a shallow clone: revision histories, creation dates and reviews older than the clone are missing."
            : ""
    }

    /// The path part of the base URL (`https://x.example/kb/` → `/kb/`), `/` without one.
    static func basePath(of baseURL: String) -> String {
        guard let scheme = baseURL.range(of: "://") else { return "/" }
        let rest = baseURL[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        let path = String(rest[slash...])
        return path.hasSuffix("/") ? path : path + "/"
    }

    /// Relative path from a page's folder to the site root.
    static func root(from permalink: String) -> String {
        // A file URL (a revision page, `/sop/x/rev/3.html`) is as deep as its folder.
        let depth = permalink.split(separator: "/").count - (permalink.hasSuffix("/") || permalink.isEmpty ? 0 : 1)
        return depth == 0 ? "./" : String(repeating: "../", count: depth)
    }

    /// Renders a document body with its links rewritten to the pages and files the site publishes.
    func renderBody(_ document: Document, permalink: String, site: Site) -> Diagnosed<RenderedMarkdown> {
        var problems: [Diagnostic] = []
        let rendered = markdown.render(document.body, firstLine: document.bodyFirstLine, dropLeadingTitle: document.bodyStartsWithTitle) { link in
            if link.isImage, link.text.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.warning("image.missing-alt", "image \"\(link.destination)\" has no alt text, so readers of screen readers miss it",
                                         at: SourceLocation(document.path, line: link.line),
                                         fix: "describe the picture between the brackets: ![Refund approval flow](\(link.destination))"))
            }
            switch site.resolve(link.destination, from: document.path) {
            case .external:
                return nil
            case .page(let target, let fragment):
                return Permalink.relative(from: permalink, to: target) + (fragment.map { "#" + $0 } ?? "")
            case .asset(let target):
                return Permalink.relative(from: permalink, to: target)
            case .missing(let target):
                // A file that exists but failed to load already has its own error; the link is not the problem.
                if let target, site.unloadable.contains(target) { return nil }
                problems.append(.warning("link.broken", "\(link.isImage ? "image" : "link") \"\(link.destination)\" points at "
                                         + "\(target.map { $0.value } ?? "nothing"), which does not exist",
                                         at: SourceLocation(document.path, line: link.line), fix: "correct the path, relative to this file"))
                return nil
            case .outsideContent:
                problems.append(.warning("link.outside-content", "\(link.isImage ? "image" : "link") \"\(link.destination)\" leaves the content folder, which is not published",
                                         at: SourceLocation(document.path, line: link.line), fix: "move the target into the content folder"))
                return nil
            }
        }
        return Diagnosed(rendered, diagnostics: problems)
    }

    func badge(_ review: ReviewStatus) -> BadgeView {
        let dueText: String
        switch review.state {
        case .neverReviewed: dueText = "No review on record: edit it, or record a review"
        case .overdue: dueText = "Review was due \(review.nextDue?.long ?? "")"
        default: dueText = "Next review due \(review.nextDue?.long ?? "")"
        }
        return BadgeView(state: review.state.rawValue, label: review.state.label, due: review.nextDue?.iso ?? "", dueText: dueText,
                         dueISO: review.nextDue?.iso ?? "")
    }

    func row(_ sop: SOPPage, from permalink: String) -> PageRow {
        PageRow(id: sop.document.id, title: sop.document.title, url: Permalink.relative(from: permalink, to: sop.permalink),
                kind: sop.document.kind == .procedure ? "" : sop.document.kind.label, owner: ownerName(sop), badge: badge(sop.review),
                lastChange: sop.lastChange?.day.long ?? "not committed", isObsolete: sop.isObsolete,
                status: sop.isObsolete ? (sop.supersededBy.isEmpty ? "Retired" : "Superseded") : "",
                ownerURL: sop.document.owner.map { Permalink.relative(from: permalink, to: Self.ownerPermalink($0)) } ?? "")
    }

    /// The owner's name from the owners file, else the handle as written, else "".
    func ownerName(_ sop: SOPPage) -> String {
        sop.owner?.name ?? sop.document.owner ?? ""
    }

    func homeView(_ site: Site) -> HomeView {
        // SOPs in force only, as the dashboard and `sopsite check` count: a retired or superseded SOP is due no review.
        let live = site.pages.filter { !$0.isObsolete }
        let overdue = live.filter { $0.review.state == .overdue }.count
        let dueSoon = live.filter { $0.review.state == .dueSoon }.count
        return HomeView(
            siteTitle: site.config.title,
            processes: site.processes.map { process in
                ProcessCard(title: process.title, url: Permalink.relative(from: "/", to: process.permalink),
                            outcome: process.document?.outcome ?? "", pages: process.pages.map { row($0, from: "/") },
                            count: process.pages.count == 1 ? "1 procedure" : "\(process.pages.count) procedures")
            },
            unassigned: site.unassigned.map { row($0, from: "/") }, hasUnassigned: !site.unassigned.isEmpty,
            summary: (site.pages.count == 1 ? "1 SOP" : "\(site.pages.count) SOPs") + " in "
                + (site.processes.count == 1 ? "1 process" : "\(site.processes.count) processes"), overdue: overdue, dueSoon: dueSoon,
            asOf: site.now.long)
    }

    func processView(_ process: ProcessSection, html: String, site: Site) -> ProcessView {
        let document = process.document
        return ProcessView(title: process.title, html: html, start: document?.start ?? "", end: document?.end ?? "",
                           stakeholders: document?.stakeholders ?? [], hasStakeholders: !(document?.stakeholders.isEmpty ?? true),
                           outcome: document?.outcome ?? "", owner: document?.owner.map { site.owners[$0]?.name ?? $0 } ?? "",
                           pages: process.pages.map { row($0, from: process.permalink) },
                           hasDefinition: document?.start != nil || document?.end != nil || document?.outcome != nil,
                           stages: stages(of: process, from: process.permalink), diagram: diagram(of: process),
                           ownerURL: document?.owner.flatMap { owner in
                               // Owner pages list SOPs in force: a process owner who owns none has no page.
                               site.ownerPages.contains(Permalink.slug(owner)) ? Permalink.relative(from: process.permalink, to: Self.ownerPermalink(owner)) : nil
                           } ?? "")
    }

    /// - Parameter revisionLinks: the revision history links each revision to its page (false when none are published).
    func sopView(_ sop: SOPPage, rendered: RenderedMarkdown, site: Site, order: ReadingOrder? = nil, revisionLinks: Bool = true) -> SOPView {
        let order = order ?? ReadingOrder(site: site)
        let document = sop.document
        let process = site.processes.first { $0.key == document.processKey }
        func personDate(_ change: ChangeFacts?) -> PersonDate? {
            change.map { PersonDate(day: $0.day.long, dayISO: $0.day.iso, instant: $0.instant.iso8601, author: $0.authorName,
                                    shortID: $0.shortID, commitID: $0.commitID, subject: $0.subject) }
        }
        let successors = sop.supersededBy.map { id in
            LinkView(text: id, url: site.permalink(ofID: id).map { Permalink.relative(from: sop.permalink, to: $0) } ?? "")
        }
        let neighbours = self.neighbours(of: sop, in: order)
        let lastReview = sop.lastReview.map { review in
            ReviewView(day: review.day.long, dayISO: review.day.iso, reviewer: review.reviewer ?? "", shortID: review.shortID ?? "",
                       evidence: Self.evidence(review), note: review.note ?? "")
        }
        var banner = ""
        if !sop.supersededBy.isEmpty {
            banner = "This document is superseded and no longer in force. Follow the document that replaces it:"
        } else if document.status == .retired {
            banner = "This document is retired and no longer in force."
        } else if document.status == .draft {
            banner = "Draft: this document is not in force yet."
        }
        return SOPView(
            historyUnknown: site.isHistoryIncomplete && !sop.isCommitted, root: Self.root(from: sop.permalink), id: document.id, title: document.title, kind: document.kind.label,
            processTitle: process?.title ?? "", processURL: process.map { Permalink.relative(from: sop.permalink, to: $0.permalink) } ?? "",
            hasProcess: process != nil, scope: document.scope ?? "", owner: ownerName(sop), hasOwner: document.owner != nil,
            ownerTeam: sop.owner?.team ?? "", criticality: document.criticality ?? "", tags: document.tags, html: rendered.html,
            toc: rendered.headings.filter { $0.level >= 2 && $0.level <= 3 }.map { TOCEntry(text: $0.text, anchor: $0.anchor, level: $0.level) },
            hasTOC: rendered.headings.contains { $0.level >= 2 && $0.level <= 3 },
            isCommitted: sop.isCommitted, hasUncommittedChanges: sop.hasUncommittedChanges, revision: sop.revision, commits: sop.history.count,
            created: personDate(sop.created), lastChange: personDate(sop.lastChange), lastRevision: personDate(sop.lastRevision),
            lastReview: lastReview,
            contributors: sop.contributors.map { ContributorRow(name: $0.name, commits: $0.commits == 1 ? "1 commit" : "\($0.commits) commits") },
            badge: badge(sop.review), interval: sop.review.interval.description, intervalSource: sop.review.intervalSource.explanation,
            nextDue: sop.review.nextDue?.long ?? "", nextDueISO: sop.review.nextDue?.iso ?? "",
            status: document.status.rawValue, banner: banner, successors: successors,
            effectiveDate: document.effectiveDate?.long ?? "",
            history: sop.history.map { change in
                // A change that made no revision shows a dash: left empty, the template showed the page's revision there.
                HistoryRow(revision: change.revision.map { "Rev \($0)" } ?? "—", day: change.day.long, dayISO: change.day.iso,
                           author: change.authorName, subject: change.subject, shortID: change.shortID, effect: change.effect,
                           isRevision: change.kind.isRevision,
                           url: change.revision.flatMap { revision in
                               revisionLinks ? Permalink.relative(from: sop.permalink, to: Self.revisionPermalink(id: document.id, revision: revision)) : nil
                           } ?? "")
            },
            reviews: sop.reviews.filter { $0.kind == .trailer }.map { review in
                ReviewView(day: review.day.long, dayISO: review.day.iso, reviewer: review.reviewer ?? "", shortID: review.shortID ?? "",
                           evidence: Self.evidence(review), note: review.note ?? "")
            },
            sourcePath: document.path.value, hasSuccessors: !successors.isEmpty,
            hasReviews: sop.reviews.contains { $0.kind == .trailer },
            lastChangedAgo: sop.lastChange.map { Self.ago($0.day, now: site.now) } ?? "", printedOn: site.now.long,
            previous: neighbours.previous, next: neighbours.next,
            parentLink: document.parent.flatMap { id in
                site.permalink(ofID: id).map { LinkView(text: site.pages.first { $0.document.id == id }?.document.title ?? id,
                                                        url: Permalink.relative(from: sop.permalink, to: $0)) }
            },
            instructions: (order.instructions[document.id] ?? []).map {
                LinkView(text: $0.title, url: Permalink.relative(from: sop.permalink, to: $0.permalink))
            },
            // A tag or owner with no page (only retired or superseded SOPs have it) is shown without a link.
            tagLinks: document.tags.map { tag in
                LinkView(text: tag, url: site.tagPages.contains(Permalink.slug(tag)) ? Permalink.relative(from: sop.permalink, to: Self.tagPermalink(tag)) : "")
            },
            ownerURL: document.owner.flatMap { owner in
                site.ownerPages.contains(Permalink.slug(owner)) ? Permalink.relative(from: sop.permalink, to: Self.ownerPermalink(owner)) : nil
            } ?? "")
    }

    /// How a review is evidenced, in words.
    static func evidence(_ review: ReviewEvidence) -> String {
        switch review.kind {
        case .edit: "content change"
        case .trailer: "review recorded in a commit"
        case .frontMatter: "date written in the front matter"
        }
    }
}
