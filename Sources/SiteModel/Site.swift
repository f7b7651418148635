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
    public let kind: ChangeKind
    /// The document's path after the commit (where its links were written from).
    public let path: RepoPath
    /// The old path when the commit moved the document.
    public let renamedFrom: RepoPath?
    /// The revision this commit made (offset included), nil when it was not a revision.
    public let revision: Int?
    /// True when the commit is listed in the ignore-revs file (a bulk import or reformat: no review).
    public let isIgnored: Bool
    /// A revision that counts as a review.
    public var isReview: Bool { kind.isRevision && !isIgnored }
    /// The file's blob after the commit (hex), for reading earlier revisions.
    public let blob: String?

    /// `Created`, `Edited`, `Front matter only`, `Whitespace only`, `Renamed from …`, `Moved from …, edited`, …
    public var effect: String {
        let moved = renamedFrom.map { "from \($0.value)" }
        switch kind {
        case .created: return isIgnored ? "Created (bulk import, not a review)" : "Created"
        case .content: return moved.map { "Moved \($0), edited" } ?? "Edited"
        case .metadata: return moved.map { "Moved \($0), front matter changed" } ?? "Front matter only"
        case .whitespace: return moved.map { "Moved \($0), whitespace changed" } ?? "Whitespace only"
        case .unchanged: return moved.map { "Renamed \($0)" } ?? "Unchanged"
        case .deleted: return "Deleted (the path was re-used later)"
        case .ignored: return "Ignored revision (bulk change)"
        }
    }
}

/// Evidence that an SOP was checked: a content change, a `Reviewed:` trailer, or a hand-written date.
public struct ReviewEvidence: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A content change (creation included): editing is reviewing.
        case edit
        /// A commit with a `Reviewed: SOP-ID` trailer.
        case trailer
        /// `last_reviewed:` in the front matter (migrated from elsewhere).
        case frontMatter = "front-matter"
    }

    public let kind: Kind
    public let day: Day
    /// Nil for a hand-written date.
    public let instant: Instant?
    public let reviewer: String?
    public let reviewerEmail: String?
    public let commitID: String?
    public let subject: String?
    /// The review note (the trailer commit's body).
    public let note: String?

    public var shortID: String? { commitID.map { String($0.prefix(10)) } }
}

/// An SOP (procedure, work instruction or policy) joined with its history and review status.
///
/// A class, not a struct: a page is immutable once assembled, and the site's lists (by process, by id, by owner,
/// the dashboard's) hold the same 2,000 pages many times over; as a struct every copy retained each of its fields,
/// and copying and sorting them was most of assembling a site.
public final class SOPPage: Sendable {
    public let document: Document
    public let permalink: String
    /// Newest first, as `git log --follow` lists them; empty when not committed.
    public let history: [ChangeFacts]
    public let contributors: [ContributorFacts]
    public let review: ReviewStatus
    /// Every review, newest first (edits, trailers, and a hand-written date when it is the newest).
    public let reviews: [ReviewEvidence]
    /// The resolved owner, nil when `owner:` is missing or names nobody in the owners file.
    public let owner: Owner?
    /// Committed, but the working copy has edits that are not committed (shown and flagged; field case B06).
    public let hasUncommittedChanges: Bool
    /// Ids of the documents that supersede this one.
    public let supersededBy: [String]

    public init(document: Document, permalink: String, history: [ChangeFacts], contributors: [ContributorFacts], review: ReviewStatus,
                reviews: [ReviewEvidence], owner: Owner?, hasUncommittedChanges: Bool, supersededBy: [String]) {
        (self.document, self.permalink, self.history, self.contributors, self.review) = (document, permalink, history, contributors, review)
        (self.reviews, self.owner, self.hasUncommittedChanges, self.supersededBy) = (reviews, owner, hasUncommittedChanges, supersededBy)
    }

    /// Revisions: commits that created the file or changed its body, plus `revision_offset`; 0 when not committed.
    public var revision: Int { history.isEmpty ? 0 : history.count { $0.kind.isRevision } + document.revisionOffset }
    public var created: ChangeFacts? { history.last }
    public var lastChange: ChangeFacts? { history.first }
    public var lastRevision: ChangeFacts? { history.first { $0.kind.isRevision } }
    public var lastReview: ReviewEvidence? { reviews.first }
    public var isCommitted: Bool { !history.isEmpty }
    /// Retired, or superseded by another document.
    public var isObsolete: Bool { document.status == .retired || !supersededBy.isEmpty }
}

/// A person who changed an SOP and how many of its commits they authored.
public struct ContributorFacts: Sendable, Equatable {
    public let name: String
    public let email: String
    public let commits: Int
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
    /// Its SOPs: by `order:` (numbered first), then id, then path.
    public let pages: [SOPPage]
}

/// The whole site as data: what Outputs renders. Built by `Site.assemble`; every collection has a defined order.
public struct Site: Sendable {
    public let config: SiteConfig
    public let now: Day
    /// HEAD's commit id, nil without commits.
    public let head: String?
    /// True when the history stops early (a shallow clone built with `--allow-shallow`): every page says so.
    public let isHistoryIncomplete: Bool
    /// Markdown files present under the content folder that could not be loaded (their errors are reported): links to
    /// them are not reported again as broken.
    public let unloadable: Set<RepoPath>
    /// Processes sorted by title (case-insensitive), then key.
    public let processes: [ProcessSection]
    /// SOPs at the top of the content folder (no process), sorted by id.
    public let unassigned: [SOPPage]
    /// Every published SOP, sorted by id, then path.
    public let pages: [SOPPage]
    /// Owners from the owners file.
    public let owners: Owners
    /// Non-Markdown files under the content folder that are published (images, attachments), by repository path.
    public let assets: [RepoPath: String]
    private let permalinks: [RepoPath: String]
    private let permalinksByID: [String: String]
    /// Earlier paths of published documents (from their history) → the document's path now, for links written in
    /// earlier revisions.
    private let formerPaths: [RepoPath: RepoPath]

    /// Earlier paths of the site's documents that links resolve through (`resolve(_:fromEarlierPath:)`), each with
    /// the document's path now, in path order.
    public var renamedPaths: [(from: RepoPath, to: RepoPath)] {
        formerPaths.sorted { $0.key < $1.key }.map { (from: $0.key, to: $0.value) }
    }
    /// Slugs of the tags and owner handles of the SOPs in force: the tag and owner pages the site has (they list SOPs in
    /// force), so a retired SOP's tag or owner may have none.
    public let tagPages: Set<String>
    public let ownerPages: Set<String>

    /// Options that change what is published.
    public struct Options: Sendable {
        /// Paths whose working copy differs from HEAD.
        public var uncommitted: Set<RepoPath> = []
        /// Non-Markdown files under the content folder to publish.
        public var assets: [RepoPath] = []
        /// Publish `status: draft` documents too (`--drafts`).
        public var includeDrafts = false
        public var owners = Owners()
        /// Markdown files that exist but failed to load.
        public var unloadable: Set<RepoPath> = []
        public init() {}
    }

    /// A document's history as pages show it: revision numbers counted down from the newest, days in the site's
    /// time zone.
    static func facts(_ document: Document, historyIndex: HistoryIndex, calendar: SiteCalendar) -> [ChangeFacts] {
        guard let documentHistory = historyIndex[document.path] else { return [] }
        var revision = document.revisionOffset + documentHistory.revisionCount + 1
        return documentHistory.commits.map { commit in
            if commit.kind.isRevision { revision -= 1 }
            return ChangeFacts(commitID: commit.id, shortID: commit.shortID, authorName: commit.authorName,
                               authorEmail: commit.authorEmail, instant: commit.authorTime,
                               day: calendar.day(of: commit.authorTime), subject: commit.subject, kind: commit.kind,
                               path: commit.path, renamedFrom: commit.renamedFrom, revision: commit.kind.isRevision ? revision : nil,
                               isIgnored: commit.isIgnored, blob: commit.blob)
        }
    }

    /// Joins documents, history and config, applying the review policy on `now`.
    /// - Returns: the site and its problems: duplicate ids, two files with one URL, a `process:` naming no process
    ///   (warning), a review trailer or `supersedes:` naming an unknown id (warning), an owner not in the owners file.
    public static func assemble(documents: [Document], history historyIndex: HistoryIndex, config: SiteConfig, now: Day,
                                options: Options = Options()) -> Diagnosed<Site> {
        var diagnostics: [Diagnostic] = []
        guard let calendar = SiteCalendar(timeZone: config.timeZone) ?? SiteCalendar(timeZone: "UTC") else {
            preconditionFailure("UTC is always a known time zone")
        }

        // Ids are unique across the site: a duplicate is an error naming both files.
        // Documents by index (copying the structs into the tables was a tenth of assembling 2,000 SOPs).
        var firstByID: [String: Int] = [:]
        var firstByIDSlug: [String: Int] = [:]
        var permalinkOwner: [String: Int] = [:]
        var permalinks: [RepoPath: String] = [:]
        var usable: [Document] = []
        firstByID.reserveCapacity(documents.count)
        firstByIDSlug.reserveCapacity(documents.count)
        permalinkOwner.reserveCapacity(documents.count)
        permalinks.reserveCapacity(documents.count)
        usable.reserveCapacity(documents.count)
        // The document that had an id first in Git keeps it; the newcomer (or an uncommitted file) is the one reported.
        // Each document's creation looked up once, and indices sorted, not documents (large structs).
        let created = documents.map { historyIndex[$0.path]?.created.authorTime.secondsSinceEpoch ?? Int64.max }
        let ordered = documents.indices.sorted { (created[$0], documents[$0].path) < (created[$1], documents[$1].path) }
        for index in ordered {
            let document = documents[index]
            if let first = firstByID[document.id].map({ documents[$0] }) {
                diagnostics.append(.error("document.duplicate-id", "id \"\(document.id)\" is already used by \(first.path)",
                                          at: document.location(of: "id"),
                                          notes: [.init("first used here", at: first.location(of: "id"))],
                                          fix: "give each document its own id"))
                continue
            }
            firstByID[document.id] = index
            // Ids that differ only in case or punctuation share one address (`/sop/<id>/rev/<n>.html`, review feeds):
            // one's revision pages replaced the other's.
            let idSlug = Permalink.slug(document.id)
            if let first = firstByIDSlug[idSlug].map({ documents[$0] }) {
                diagnostics.append(.error("document.duplicate-id", "id \"\(document.id)\" differs from the id \"\(first.id)\" of \(first.path) "
                                          + "only in case or punctuation: both would be published at /sop/\(idSlug)/",
                                          at: document.location(of: "id"), notes: [.init("the other id", at: first.location(of: "id"))],
                                          fix: "give each document its own id"))
                continue
            }
            firstByIDSlug[idSlug] = index
            if document.status == .draft && !options.includeDrafts { continue }
            let permalink = document.kind == .process
                ? Permalink.page(forContentPath: document.processKey ?? document.contentPath)
                : Permalink.page(forContentPath: document.contentPath)
            // The first folder of the URL (as its first non-empty component), without splitting the whole URL.
            let folder = String(Substring(permalink.utf8.drop { $0 == UInt8(ascii: "/") }.prefix { $0 != UInt8(ascii: "/") }))
            if !folder.isEmpty, let use = Permalink.siteFolders[folder] {
                // Found by fuzzing: a process named tags, or a folder named reviews, overwrote the site's own page.
                diagnostics.append(.error("document.reserved-url", "this file would be published at \(permalink), but /\(folder)/ holds \(use)",
                                          at: document.kind == .process ? document.location(of: "process") : SourceLocation(document.path, line: 1),
                                          fix: document.kind == .process && document.keyLines["process"] != nil
                                              ? "write another process name, e.g. process: staff-\(folder)" : "rename the folder or file, e.g. staff-\(folder)"))
                continue
            }
            if let other = permalinkOwner[permalink].map({ documents[$0] }) {
                diagnostics.append(.error("document.duplicate-url", "this file and \(other.path) would both be published at \(permalink)",
                                          at: SourceLocation(document.path, line: 1),
                                          notes: [.init("the other file", at: SourceLocation(other.path, line: 1))],
                                          fix: "rename one of them"))
                continue
            }
            permalinkOwner[permalink] = index
            permalinks[document.path] = permalink
            usable.append(document)
        }

        let processDocuments = usable.filter { $0.kind == .process }
        var processByKey: [String: Document] = [:]
        for process in processDocuments {
            guard let key = process.processKey else { continue }
            if processByKey[key] == nil { processByKey[key] = process }
        }
        // Folders that hold SOPs but have no `_process.md` are processes too, titled after the folder.
        var folderKeys: Set<String> = []
        for document in usable where document.kind != .process {
            if let folder = folder(of: document, contentRoot: config.contentRoot) { folderKeys.insert(folder) }
        }
        let knownKeys = Set(processByKey.keys).union(folderKeys)

        // `process:` may name a process by its folder, by its title, or by a title that slugs to its folder
        // (generated and migrated repositories write `process: "Access Management"`).
        var keyByName: [String: String] = [:]
        for key in knownKeys.sorted() {
            keyByName[key.lowercased()] = keyByName[key.lowercased()] ?? key
            if let title = processByKey[key]?.title.lowercased() { keyByName[title] = keyByName[title] ?? key }
        }

        // Which documents supersede which.
        var supersededBy: [String: [String]] = [:]
        for document in usable {
            for old in document.supersedes {
                if firstByID[old] == nil {
                    diagnostics.append(.warning("document.unknown-supersedes", "supersedes \"\(old)\", which is not the id of any document",
                                                at: document.location(of: "supersedes"), fix: "check the id"))
                }
                supersededBy[old, default: []].append(document.id)
            }
        }

        // Review trailers by the ids they name.
        var trailersByID: [String: [ReviewTrailer]] = [:]
        for trailer in historyIndex.reviewTrailers {
            for id in trailer.ids { trailersByID[id, default: []].append(trailer) }
        }
        // While some file fails to load, the id may be its own: that file's error says what to fix (as a link to it is
        // not reported as broken), and this warning would send the writer looking for a typo that is not there.
        for id in trailersByID.keys.sorted() where firstByID[id] == nil && options.unloadable.isEmpty {
            for trailer in trailersByID[id] ?? [] {
                diagnostics.append(.warning("review.unknown-id", "commit \(trailer.shortID) (\"\(trailer.subject)\") records a review of "
                                            + "\"\(id)\", which is not the id of any document",
                                            at: SourceLocation(RepoPath("commit \(trailer.shortID)")),
                                            fix: "a Reviewed: trailer names SOP ids, e.g. Reviewed: SOP-CS-001"))
            }
        }

        // Each SOP's page is independent of the others' once the tables above are made: built on every processor
        // (2,000 SOPs with 10,000 commits of history took a tenth of a rebuild on one), diagnostics kept in order.
        let built = ParallelChunks.mapWaiting(usable.filter { $0.kind != .process }) {
            [knownKeys, keyByName, processByKey, supersededBy, trailersByID, permalinks] chunk in
            chunk.map { original -> (page: SOPPage, diagnostics: [Diagnostic]) in
                var diagnostics: [Diagnostic] = []
                var document = original
                if let key = original.processKey {
                    if let resolved = knownKeys.contains(key) ? key : (keyByName[key.lowercased()] ?? keyByName[Permalink.slug(key)]) {
                        document = original.withProcessKey(resolved)
                    } else {
                        // The folder decides where a page lives; a stale `process:` (left behind by a folder rename) must not
                        // stop a build, but the writer should fix it.
                        let folder = folder(of: original, contentRoot: config.contentRoot)
                        diagnostics.append(.warning("document.unknown-process", "process \"\(key)\" names no process"
                                                    + (folder.map { "; the page is listed under its folder's process \($0)" } ?? ""),
                                                    at: original.location(of: "process"),
                                                    fix: "write one of: \(knownKeys.sorted().joined(separator: ", "))"))
                        document = original.withProcessKey(folder)
                    }
                }
                let processDocument = document.processKey.flatMap { processByKey[$0] }
                // An SOP without an owner is owned by its process's owner, as its interval is inherited.
                if document.owner == nil, let processOwner = processDocument?.owner { document = document.withOwner(processOwner) }
                let (interval, source) = ReviewPolicy.interval(for: document, process: processDocument, config: config)
                let history = facts(document, historyIndex: historyIndex, calendar: calendar)
                let reviews = Self.reviews(of: document, history: history, trailers: trailersByID[document.id] ?? [], calendar: calendar)
                let review = ReviewPolicy.status(lastReview: reviews.first?.day, interval: interval, source: source, now: now,
                                                 dueSoonDays: config.dueSoonDays)
                let contributors = (historyIndex[document.path]?.contributors ?? [])
                    .map { ContributorFacts(name: $0.name, email: $0.email, commits: $0.commits) }
                var owner: Owner?
                if let handle = document.owner {
                    owner = options.owners[handle]
                    if owner == nil, options.owners.path != nil {
                        diagnostics.append(.warning("owner.unknown", "owner \"\(handle)\" is not in \(options.owners.path?.value ?? "the owners file")",
                                                    at: document.location(of: "owner"), fix: "add \(handle) to the owners file, or correct the handle"))
                    }
                }
                let page = SOPPage(document: document, permalink: permalinks[document.path] ?? "/", history: history,
                                   contributors: contributors, review: review, reviews: reviews, owner: owner,
                                   hasUncommittedChanges: !history.isEmpty && options.uncommitted.contains(document.path),
                                   supersededBy: (supersededBy[document.id] ?? []).sorted())
                return (page, diagnostics)
            }
        }.flatMap { $0 }
        var pagesByProcess: [String: [SOPPage]] = [:]
        var unassigned: [SOPPage] = []
        var all: [SOPPage] = []
        for (page, problems) in built {
            diagnostics += problems
            all.append(page)
            if let key = page.document.processKey { pagesByProcess[key, default: []].append(page) } else { unassigned.append(page) }
        }

        func byID(_ a: SOPPage, _ b: SOPPage) -> Bool {
            a.document.id != b.document.id ? a.document.id < b.document.id : a.document.path < b.document.path
        }
        func byOrder(_ a: SOPPage, _ b: SOPPage) -> Bool {
            switch (a.document.order, b.document.order) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return byID(a, b)
            }
        }
        let processes = knownKeys.map { key -> ProcessSection in
            let document = processByKey[key]
            return ProcessSection(key: key, title: document?.title ?? DocumentLoader.humanise(key),
                                  permalink: Permalink.page(forContentPath: key), document: document,
                                  history: document.map { facts($0, historyIndex: historyIndex, calendar: calendar) } ?? [],
                                  pages: (pagesByProcess[key] ?? []).sorted(by: byOrder))
        }.sorted { ($0.title.lowercased(), $0.key) < ($1.title.lowercased(), $1.key) }

        var assetURLs: [RepoPath: String] = [:]
        for asset in options.assets {
            let relative = asset.relative(to: config.contentRoot) ?? asset.value
            assetURLs[asset] = "/" + relative
        }
        var permalinksByID: [String: String] = [:]
        for page in all { permalinksByID[page.document.id] = page.permalink }

        // Tag and owner pages exist for SOPs in force.
        var tagPages: Set<String> = [], ownerPages: Set<String> = []
        for page in all where !page.isObsolete {
            for tag in page.document.tags { tagPages.insert(Permalink.slug(tag)) }
            if let owner = page.document.owner { ownerPages.insert(Permalink.slug(owner)) }
        }
        // A path a document had before, unless a document lives there now (a re-used path is that document's).
        var formerPaths: [RepoPath: RepoPath] = [:]
        for document in usable {
            for old in historyIndex[document.path]?.previousPaths ?? [] where permalinks[old] == nil && formerPaths[old] == nil {
                formerPaths[old] = document.path
            }
        }

        let site = Site(config: config, now: now, head: historyIndex.head, isHistoryIncomplete: historyIndex.isShallow, unloadable: options.unloadable, processes: processes, unassigned: unassigned.sorted(by: byID),
                        pages: all.indices.sorted { byID(all[$0], all[$1]) }.map { all[$0] }, owners: options.owners, assets: assetURLs, permalinks: permalinks,
                        permalinksByID: permalinksByID, formerPaths: formerPaths,
                        tagPages: tagPages, ownerPages: ownerPages)
        return Diagnosed(site, diagnostics: diagnostics.sorted())
    }

    /// The top folder of a document under the content folder (its process key by default).
    static func folder(of document: Document, contentRoot: RepoPath) -> String? {
        let relative = document.path.relative(to: contentRoot) ?? document.path.value
        // The first non-empty component, if another follows it (on bytes: asked for every document).
        let utf8 = relative.utf8
        guard let start = utf8.firstIndex(where: { $0 != 0x2F }), let end = utf8[start...].firstIndex(of: 0x2F),
              utf8[end...].contains(where: { $0 != 0x2F }) else { return nil }
        return String(Substring(utf8[start..<end]))
    }

    /// Review evidence, newest first: content changes and trailers from Git; a hand-written date only while it is newer
    /// than all of them (field case B07).
    static func reviews(of document: Document, history: [ChangeFacts], trailers: [ReviewTrailer], calendar: SiteCalendar) -> [ReviewEvidence] {
        var evidence: [ReviewEvidence] = history.filter(\.isReview).map {
            ReviewEvidence(kind: .edit, day: $0.day, instant: $0.instant, reviewer: $0.authorName, reviewerEmail: $0.authorEmail,
                           commitID: $0.commitID, subject: $0.subject, note: nil)
        }
        evidence += trailers.map {
            ReviewEvidence(kind: .trailer, day: calendar.day(of: $0.time), instant: $0.time, reviewer: $0.reviewerName,
                           reviewerEmail: $0.reviewerEmail.isEmpty ? nil : $0.reviewerEmail, commitID: $0.commitID,
                           subject: $0.subject, note: $0.note.isEmpty ? nil : $0.note)
        }
        evidence.sort { a, b in
            let (x, y) = (a.instant?.secondsSinceEpoch ?? 0, b.instant?.secondsSinceEpoch ?? 0)
            return x != y ? x > y : (a.commitID ?? "") > (b.commitID ?? "")
        }
        if let written = document.lastReviewed, evidence.first.map({ written > $0.day }) ?? true {
            evidence.insert(ReviewEvidence(kind: .frontMatter, day: written, instant: nil, reviewer: nil, reviewerEmail: nil,
                                           commitID: nil, subject: nil, note: nil), at: 0)
        }
        return evidence
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

    /// `resolve(_:from:)` for a link written in an earlier revision, from the path the document had then: a link to a
    /// document renamed since leads to that document's page now; what the site no longer has at all stays `.missing`.
    public func resolve(_ destination: String, fromEarlierPath source: RepoPath) -> LinkTarget {
        let target = resolve(destination, from: source)
        guard case .missing(let path?) = target, let now = formerPaths[path], let permalink = permalinks[now] else { return target }
        let fragment = destination.firstIndex(of: "#").map { String(destination[destination.index(after: $0)...]) }
        return .page(permalink, fragment: fragment)
    }

    /// The permalink of the document at `path`, if published.
    public func permalink(of path: RepoPath) -> String? { permalinks[path] }

    /// The URL to publish for a permalink: percent-encoded, and absolute when a base URL is configured
    /// (`https://x.example/kb/` + `/a/b/` → `https://x.example/kb/a/b/`).
    public func publishedURL(_ permalink: String) -> String {
        let base = config.baseURL.hasSuffix("/") ? String(config.baseURL.dropLast()) : config.baseURL
        return base + Permalink.encoded(permalink)
    }

    /// The permalink of the published SOP with `id`.
    public func permalink(ofID id: String) -> String? { permalinksByID[id] }
}

import Foundation
