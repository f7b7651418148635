import Documents
import History
import SOPCore

/// One commit as a page shows it: the instant as Git recorded it and the calendar day in the site's time zone.
public struct ChangeFacts: Sendable, Equatable {
    public let commitID: String
    public let shortID: String
    public let authorName: String
    public let authorEmail: String
    public let instant: Instant
    public let day: Day
    public let subject: String
    /// `Created`, `Edited`, `Renamed from …`, `Deleted` (then re-created at the same path).
    public let effect: String
}

/// A person who changed an SOP and how many of its commits they authored.
public struct ContributorFacts: Sendable, Equatable {
    public let name: String
    public let email: String
    public let commits: Int
}

/// An SOP (procedure, work instruction or policy) joined with its history and review status.
public struct SOPPage: Sendable {
    public let document: Document
    public let permalink: String
    /// Newest first, as `git log --follow` lists them; empty when not committed.
    public let history: [ChangeFacts]
    public let contributors: [ContributorFacts]
    public let review: ReviewStatus
    /// Committed, but the working copy has edits that are not committed (shown and flagged; field case B06).
    public let hasUncommittedChanges: Bool

    /// Number of commits that changed it (first cut: every commit `git log --follow` lists); 0 when not committed.
    public var revision: Int { history.count }
    public var created: ChangeFacts? { history.last }
    public var lastChange: ChangeFacts? { history.first }
    public var isCommitted: Bool { !history.isEmpty }
}

/// A process with its procedures. A folder under the content folder is a process; its `_process.md` (or
/// `index.md`) gives the title, start and end points, stakeholders and outcome.
public struct ProcessSection: Sendable {
    public let key: String
    public let title: String
    public let permalink: String
    /// The process document, nil for a folder without `_process.md`.
    public let document: Document?
    /// The process page's own history (of `_process.md`).
    public let history: [ChangeFacts]
    /// Its SOPs, sorted by id, then path.
    public let pages: [SOPPage]
}

/// The whole site as data: what Outputs renders. Built by `Site.assemble`; every collection has a defined order.
public struct Site: Sendable {
    public let config: SiteConfig
    public let now: Day
    /// HEAD's commit id, nil without commits.
    public let head: String?
    /// Processes sorted by title (case-insensitive), then key.
    public let processes: [ProcessSection]
    /// SOPs at the top of the content folder (no process), sorted by id.
    public let unassigned: [SOPPage]
    /// Every SOP, sorted by id, then path.
    public let pages: [SOPPage]
    /// Non-Markdown files under the content folder that are published (images, attachments), by repository path.
    public let assets: [RepoPath: String]
    private let permalinks: [RepoPath: String]

    /// Joins documents, history and config, applying the review policy on `now`.
    /// - Parameters:
    ///   - uncommitted: paths whose working copy differs from HEAD.
    ///   - assets: non-Markdown files under the content folder to publish.
    /// - Returns: the site and its problems: duplicate ids, two files with one URL, a `process:` naming no process.
    public static func assemble(documents: [Document], history historyIndex: HistoryIndex, config: SiteConfig, now: Day,
                                uncommitted: Set<RepoPath> = [], assets: [RepoPath] = []) -> Diagnosed<Site> {
        var diagnostics: [Diagnostic] = []
        guard let calendar = SiteCalendar(timeZone: config.timeZone) ?? SiteCalendar(timeZone: "UTC") else {
            preconditionFailure("UTC is always a known time zone")
        }

        // Ids are unique across the site: a duplicate is an error naming both files.
        var firstByID: [String: Document] = [:]
        var permalinkOwner: [String: Document] = [:]
        var permalinks: [RepoPath: String] = [:]
        var usable: [Document] = []
        for document in documents.sorted(by: { $0.path < $1.path }) {
            if let first = firstByID[document.id] {
                diagnostics.append(.error("document.duplicate-id", "id \"\(document.id)\" is already used by \(first.path)",
                                          at: document.location(of: "id"),
                                          notes: [.init("first used here", at: first.location(of: "id"))],
                                          fix: "give each document its own id"))
                continue
            }
            let permalink = document.kind == .process
                ? Permalink.page(forContentPath: document.processKey ?? document.contentPath)
                : Permalink.page(forContentPath: document.contentPath)
            if let other = permalinkOwner[permalink] {
                diagnostics.append(.error("document.duplicate-url", "this file and \(other.path) would both be published at \(permalink)",
                                          at: SourceLocation(document.path, line: 1),
                                          notes: [.init("the other file", at: SourceLocation(other.path, line: 1))],
                                          fix: "rename one of them"))
                continue
            }
            firstByID[document.id] = document
            permalinkOwner[permalink] = document
            permalinks[document.path] = permalink
            usable.append(document)
        }

        func facts(_ path: RepoPath) -> [ChangeFacts] {
            guard let documentHistory = historyIndex[path] else { return [] }
            return documentHistory.commits.map { commit in
                let effect: String
                switch commit.effect {
                case .added: effect = "Created"
                case .modified: effect = "Edited"
                case .renamed(let from): effect = "Renamed from \(from.value)"
                case .deleted: effect = "Deleted"
                }
                return ChangeFacts(commitID: commit.id, shortID: commit.shortID, authorName: commit.authorName,
                                   authorEmail: commit.authorEmail, instant: commit.authorTime,
                                   day: calendar.day(of: commit.authorTime), subject: commit.subject, effect: effect)
            }
        }

        let processDocuments = usable.filter { $0.kind == .process }
        var processByKey: [String: Document] = [:]
        for process in processDocuments {
            guard let key = process.processKey else { continue }
            if processByKey[key] == nil { processByKey[key] = process }
        }
        // Folders that hold SOPs but have no `_process.md` are processes too, titled after the folder.
        let folderKeys = Set(usable.filter { $0.kind != .process }.compactMap { document -> String? in
            let relative = document.path.relative(to: config.contentRoot) ?? document.path.value
            let folders = relative.split(separator: "/").dropLast()
            return folders.first.map(String.init)
        })
        let knownKeys = Set(processByKey.keys).union(folderKeys)

        var pagesByProcess: [String: [SOPPage]] = [:]
        var unassigned: [SOPPage] = []
        var all: [SOPPage] = []
        // `process:` may name a process by its folder, by its title, or by a title that slugs to its folder
        // (generated and migrated repositories write `process: "Access Management"`).
        var keyByName: [String: String] = [:]
        for key in knownKeys.sorted() {
            keyByName[key.lowercased()] = keyByName[key.lowercased()] ?? key
            if let title = processByKey[key]?.title.lowercased() { keyByName[title] = keyByName[title] ?? key }
        }
        func processKey(of document: Document) -> String? {
            guard let written = document.processKey else { return nil }
            if knownKeys.contains(written) { return written }
            return keyByName[written.lowercased()] ?? keyByName[Permalink.slug(written)]
        }
        for original in usable where original.kind != .process {
            var document = original
            if let key = original.processKey, let resolved = processKey(of: original) {
                if resolved != key { document = original.withProcessKey(resolved) }
            } else if let key = original.processKey {
                // The folder decides where a page lives; a stale `process:` (left behind by a folder rename) must not
                // stop a build, but the writer should fix it.
                let relative = original.path.relative(to: config.contentRoot) ?? original.path.value
                let folder = relative.split(separator: "/").dropLast().first.map(String.init)
                diagnostics.append(.warning("document.unknown-process", "process \"\(key)\" names no process"
                                            + (folder.map { "; the page is listed under its folder's process \($0)" } ?? ""),
                                            at: original.location(of: "process"),
                                            fix: "write one of: \(knownKeys.sorted().joined(separator: ", "))"))
                document = original.withProcessKey(folder)
            }
            let processDocument = document.processKey.flatMap { processByKey[$0] }
            let interval: ReviewInterval
            let source: IntervalSource
            if let own = document.reviewInterval {
                (interval, source) = (own, .document)
            } else if let processDocument, let inherited = processDocument.reviewInterval {
                (interval, source) = (inherited, .process(title: processDocument.title))
            } else {
                (interval, source) = (config.defaultInterval, .siteDefault)
            }
            let history = facts(document.path)
            let review = ReviewPolicy.status(lastReview: history.first?.day, interval: interval, source: source, now: now,
                                             dueSoonDays: config.dueSoonDays)
            let contributors = (historyIndex[document.path]?.contributors ?? [])
                .map { ContributorFacts(name: $0.name, email: $0.email, commits: $0.commits) }
            let page = SOPPage(document: document, permalink: permalinks[document.path] ?? "/", history: history,
                               contributors: contributors, review: review,
                               hasUncommittedChanges: !history.isEmpty && uncommitted.contains(document.path))
            all.append(page)
            if let key = document.processKey { pagesByProcess[key, default: []].append(page) } else { unassigned.append(page) }
        }

        func byID(_ a: SOPPage, _ b: SOPPage) -> Bool {
            a.document.id != b.document.id ? a.document.id < b.document.id : a.document.path < b.document.path
        }
        let processes = knownKeys.map { key -> ProcessSection in
            let document = processByKey[key]
            return ProcessSection(key: key, title: document?.title ?? DocumentLoader.humanise(key),
                                  permalink: Permalink.page(forContentPath: key), document: document,
                                  history: document.map { facts($0.path) } ?? [],
                                  pages: (pagesByProcess[key] ?? []).sorted(by: byID))
        }.sorted { ($0.title.lowercased(), $0.key) < ($1.title.lowercased(), $1.key) }

        var assetURLs: [RepoPath: String] = [:]
        for asset in assets {
            let relative = asset.relative(to: config.contentRoot) ?? asset.value
            assetURLs[asset] = "/" + relative
        }

        let site = Site(config: config, now: now, head: historyIndex.head, processes: processes, unassigned: unassigned.sorted(by: byID),
                        pages: all.sorted(by: byID), assets: assetURLs, permalinks: permalinks)
        return Diagnosed(site, diagnostics: diagnostics.sorted())
    }

    /// What a link written in `source` points at.
    public enum LinkTarget: Equatable, Sendable {
        /// Another document's page (site-relative permalink) with the fragment, if any.
        case page(String, fragment: String?)
        /// A published file (site-relative URL).
        case asset(String)
        /// Not a relative link: leave it alone (`https:`, `mailto:`, `#anchor`).
        case external
        /// A relative link to nothing the site publishes.
        case missing(RepoPath?)
        /// A relative link that leaves the content folder.
        case outsideContent
    }

    /// Resolves a link destination written in the document at `source`.
    public func resolve(_ destination: String, from source: RepoPath) -> LinkTarget {
        if destination.isEmpty || destination.hasPrefix("#") || destination.hasPrefix("/") || destination.hasPrefix("//") {
            return .external
        }
        if let colon = destination.firstIndex(of: ":"), !destination[..<colon].contains("/") { return .external }
        var pathPart = Substring(destination)
        var fragment: String?
        if let hash = pathPart.firstIndex(of: "#") {
            fragment = String(pathPart[pathPart.index(after: hash)...])
            pathPart = pathPart[..<hash]
        }
        if let query = pathPart.firstIndex(of: "?") { pathPart = pathPart[..<query] }
        let decoded = String(pathPart).removingPercentEncoding ?? String(pathPart)
        guard let target = source.resolving(decoded), target.isInside(config.contentRoot) else { return .outsideContent }
        if let permalink = permalinks[target] { return .page(permalink, fragment: fragment) }
        // A link to a folder or its process file: the process page.
        for candidate in [target, target.appending("_process.md"), target.appending("index.md")] {
            if let permalink = permalinks[candidate] { return .page(permalink, fragment: fragment) }
        }
        if let asset = assets[target] { return .asset(asset) }
        return .missing(target)
    }

    /// The permalink of the document at `path`, if published.
    public func permalink(of path: RepoPath) -> String? { permalinks[path] }
}

import Foundation
