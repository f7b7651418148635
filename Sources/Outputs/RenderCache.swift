import Documents
import SiteModel
import SOPCore

/// Rendered pages kept between builds (`--cache`, and `sopsite serve` between saves), reused when the key of
/// everything they are rendered from is unchanged: per SOP, its page, revision pages, search entry and warnings; and
/// the site's own pages (home, process pages, lists, dashboard, review outputs) as one group.
///
/// An SOP's key (`RenderKey`) covers the SOP itself (document, history, review state, owner: every stored property, so
/// a new field cannot be forgotten) and what its pages show of the rest of the site (titles, URLs and processes of all
/// documents for navigation and links, the configuration, owners, theme, `now`). The site group's key covers every
/// SOP except its body and its uncommitted-edits flag, which none of those pages shows (tested by rendering them with
/// other bodies and flags; `api/pages.json`, which shows the flag, is made every time). Anything
/// else is left out on purpose: editing one SOP's text re-renders that SOP and the search index only.
public protocol RenderCache: Sendable {
    /// The pages rendered under `key` in an earlier build: search entries and warnings, and the files to emit (a store
    /// that put them in place itself, linked from the previous output, returns none); nil when there are no such
    /// pages or they cannot be put in place.
    func reuse(key: String) -> (pages: RenderedPages, files: [OutputFile])?
    /// Records pages just rendered (called from several tasks at once).
    func keep(key: String, _ rendered: RenderedPages, files: [OutputFile])
}

/// What reusing rendered pages gives back besides their files.
public struct RenderedPages: Sendable {
    /// Search entries: one for an SOP, one per process for the site group.
    public let entries: [SearchIndex.Entry]
    public let diagnostics: [Diagnostic]
    /// The output paths of the pages (an SOP's page and revision pages; the site's own pages).
    public let paths: [String]

    public init(entries: [SearchIndex.Entry], diagnostics: [Diagnostic], paths: [String]) {
        self.entries = entries
        self.diagnostics = diagnostics
        self.paths = paths
    }
}

/// Keys of rendered SOPs: a 128-bit hash of a canonical description of the inputs.
public struct RenderKey: Sendable {
    /// Changes whenever what the renderer makes of the same inputs changes (bump with any change to pages).
    public static let rendererVersion = "sopsite-render-1"

    let shared: Fingerprint
    /// Prefix of the site group's key (SOP keys are hex digits only).
    public static let sitePrefix = "site-"

    /// The part shared by every SOP of `site`.
    public init(site: Site, theme: Theme, allowRawHTML: Bool, revisions: Bool) {
        var fingerprint = Fingerprint()
        fingerprint.add(Self.rendererVersion)
        fingerprint.add(Canonical.text(site.config))
        fingerprint.add(Canonical.text(site.owners))
        fingerprint.add(Canonical.text(site.now))
        fingerprint.add(String(site.isHistoryIncomplete))
        fingerprint.add(site.unloadable.map(\.value).sorted().joined(separator: "\u{0}"))
        fingerprint.add(String(allowRawHTML))
        fingerprint.add(String(revisions))
        fingerprint.add(theme.fingerprint)
        for (path, url) in site.assets.sorted(by: { $0.key < $1.key }) { fingerprint.add(path.value + "\u{0}" + url) }
        for process in site.processes {
            fingerprint.add(process.key + "\u{0}" + process.title + "\u{0}" + process.permalink)
            fingerprint.add(process.document.map(Canonical.text) ?? "-")
        }
        // What navigation, neighbours, parent and successor links, and link resolution read of every page.
        for pages in [site.pages, site.unassigned] {
            for page in pages {
                let document = page.document
                fingerprint.add([document.path.value, page.permalink, document.id, document.title, document.kind.rawValue,
                                 document.processKey ?? "-", document.status.rawValue, document.parent ?? "-",
                                 document.order.map(String.init) ?? "-", document.supersedes.joined(separator: ","),
                                 page.supersededBy.joined(separator: ",")].joined(separator: "\u{0}"))
            }
        }
        // Earlier paths that links resolve through: an earlier revision's link to a file renamed since follows the
        // rename once Git records it, which changes no page's own path or history (a rename previewed uncommitted,
        // then committed, kept the uncommitted build's unlinked text).
        for (from, to) in site.renamedPaths { fingerprint.add(from.value + "\u{0}" + to.value) }
        // Which tag and owner pages exist: an SOP page links only to those.
        fingerprint.add(site.tagPages.sorted().joined(separator: "\u{0}"))
        fingerprint.add(site.ownerPages.sorted().joined(separator: "\u{0}"))
        shared = fingerprint
    }

    /// The digest of everything about one SOP except its body and whether it has uncommitted edits: what the site's
    /// own pages may read of it (the first save of a writer's edit then leaves them alone).
    public func metadata(of sop: SOPPage) -> String {
        var fingerprint = Fingerprint()
        Self.add(sop, to: &fingerprint)
        return fingerprint.hex
    }

    /// The key of one SOP's pages, from its `metadata(of:)` digest and its body.
    public func key(for sop: SOPPage, metadata: String) -> String {
        var fingerprint = shared
        fingerprint.add(metadata)
        fingerprint.add(sop.hasUncommittedChanges ? 1 : 0)
        // The body by its bulk checksum: hashing 10 MB of bodies byte by byte was most of the keys' cost.
        fingerprint.add(Fingerprint.bulkChecksum(sop.document.body))
        return fingerprint.hex
    }

    /// The key of the site's own pages: the shared part, HEAD, the processes' histories and the `metadata(of:)` digests
    /// of `site.pages + site.unassigned`, in that order.
    public func siteKey(_ site: Site, metadata: [String]) -> String {
        var fingerprint = shared
        fingerprint.add(site.head ?? "\u{1}")
        for process in site.processes {
            fingerprint.add(process.key)
            for change in process.history { Self.add(change, to: &fingerprint) }
        }
        for digest in metadata { fingerprint.add(digest) }
        return Self.sitePrefix + fingerprint.hex
    }

    /// The key of `api/pages.json`: the site group's, and which SOPs have uncommitted edits (the one thing it shows
    /// that the site's own pages do not).
    public func pagesAPIKey(_ site: Site, siteKey: String) -> String {
        var fingerprint = Fingerprint()
        fingerprint.add(siteKey)
        for page in site.pages { fingerprint.add(page.hasUncommittedChanges ? 1 : 0) }
        return Self.sitePrefix + "api-" + fingerprint.hex
    }

    /// Every stored property of the SOP but its body, field by field: reflection (`Canonical`) was a quarter of a rebuild.
    /// `RenderKeyTests` lists the stored properties of each type through `Mirror`, so a property added later and not
    /// added here fails a test instead of leaving pages stale.
    static func add(_ sop: SOPPage, to f: inout Fingerprint) {
        // Field by field, each closed by the fingerprint's separator: joining them into one string first was 40 % of
        // the keys' cost.
        let d = sop.document
        for text in [d.path.value, d.contentPath, d.kind.rawValue, d.id, d.title, d.titleSource.rawValue] { f.add(text) }
        for text in [d.processKey, d.owner, d.criticality, d.scope, d.parent, d.start, d.end, d.outcome] { f.add(text) }
        f.add(d.reviewInterval.map { "\($0.months)m\($0.days)d" })
        f.add(d.tags.joined(separator: "\u{2}"))
        f.add(d.status.rawValue)
        f.add(d.effectiveDate.map { $0.daysSinceEpoch } ?? Int.min)
        f.add(d.supersedes.joined(separator: "\u{2}"))
        f.add(d.lastReviewed.map { $0.daysSinceEpoch } ?? Int.min)
        f.add(d.revisionOffset)
        f.add(d.order ?? Int.min)
        f.add(d.stakeholders.joined(separator: "\u{2}"))
        f.add(d.bodyFirstLine)
        f.add(d.bodyStartsWithTitle ? 1 : 0)
        // keyLines (front-matter key → line) only place diagnostics of the assembly stage, which is never cached.
        f.add(sop.permalink)
        f.add(sop.history.count)
        for change in sop.history { add(change, to: &f) }
        f.add(sop.contributors.count)
        for c in sop.contributors {
            f.add(c.name)
            f.add(c.email)
            f.add(c.commits)
        }
        let r = sop.review
        f.add(r.state.rawValue)
        f.add("\(r.interval.months)m\(r.interval.days)d")
        // By case, not by interpolation: printing an enum went through the reflection-based printer for every SOP.
        switch r.intervalSource {
        case .document: f.add(0)
        case .process(let title):
            f.add(1)
            f.add(title)
        case .criticality(let level, let process):
            f.add(2)
            f.add(level)
            f.add(process)
        case .siteDefault: f.add(3)
        }
        f.add(r.lastReview.map { $0.daysSinceEpoch } ?? Int.min)
        f.add(r.nextDue.map { $0.daysSinceEpoch } ?? Int.min)
        f.add(r.daysUntilDue ?? Int.min)
        f.add(sop.reviews.count)
        for e in sop.reviews {
            f.add(e.kind.rawValue)
            f.add(e.day.daysSinceEpoch)
            add(e.instant, to: &f)
            for text in [e.reviewer, e.reviewerEmail, e.commitID, e.subject, e.note] { f.add(text) }
        }
        f.add(sop.owner?.handle)
        if let owner = sop.owner {
            f.add(owner.name)
            f.add(owner.email)
            f.add(owner.team)
        }
        // hasUncommittedChanges is added by `key(for:metadata:)`: the site's own pages do not show it.
        f.add(sop.supersededBy.joined(separator: "\u{2}"))
    }

    static func add(_ c: ChangeFacts, to f: inout Fingerprint) {
        for text in [c.commitID, c.shortID, c.authorName, c.authorEmail, c.subject, c.kind.rawValue] { f.add(text) }
        add(c.instant, to: &f)
        f.add(c.day.daysSinceEpoch)
        f.add(c.path.value)
        f.add(c.renamedFrom?.value)
        f.add(c.revision ?? Int.min)
        f.add(c.isIgnored ? 1 : 0)
        f.add(c.blob)
    }

    private static func add(_ instant: Instant?, to f: inout Fingerprint) {
        f.add(instant?.secondsSinceEpoch ?? Int64.min)
        f.add(instant?.offsetMinutes ?? Int.min)
    }

    /// The stored properties `add(_:to:)` covers, per type, for the completeness test.
    static let covered: [String: [String]] = [
        "SOPPage": ["document", "permalink", "history", "contributors", "review", "reviews", "owner", "hasUncommittedChanges", "supersededBy"],
        "Document": ["path", "contentPath", "kind", "id", "title", "titleSource", "processKey", "owner", "reviewInterval", "criticality",
                     "scope", "tags", "status", "effectiveDate", "supersedes", "lastReviewed", "revisionOffset", "order", "parent",
                     "start", "end", "stakeholders", "outcome", "body", "bodyFirstLine", "bodyStartsWithTitle", "keyLines"],
        "ChangeFacts": ["commitID", "shortID", "authorName", "authorEmail", "instant", "day", "subject", "kind", "path", "renamedFrom",
                        "revision", "isIgnored", "blob"],
        "ContributorFacts": ["name", "email", "commits"],
        "ReviewStatus": ["state", "interval", "intervalSource", "lastReview", "nextDue", "daysUntilDue"],
        "ReviewEvidence": ["kind", "day", "instant", "reviewer", "reviewerEmail", "commitID", "subject", "note"],
        "Owner": ["handle", "name", "email", "team"],
        "ReviewInterval": ["months", "days"],
        "Instant": ["secondsSinceEpoch", "offsetMinutes"],
    ]
}

/// A description of a value that is the same in every run: every stored property through `Mirror`, with dictionary
/// and set elements sorted (their iteration order changes from one process to the next).
enum Canonical {
    static func text(_ value: Any) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Any, into out: inout String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .dictionary?, .set?:
            out += "{"
            for item in mirror.children.map({ text($0.value) }).sorted() { out += item + "," }
            out += "}"
        case .optional?:
            if let some = mirror.children.first { write(some.value, into: &out) } else { out += "nil" }
        case .enum?:
            out += String(describing: type(of: value)) + "."
            if mirror.children.isEmpty {
                out += String(describing: value)
            } else {
                for child in mirror.children {
                    out += (child.label ?? "") + "("
                    write(child.value, into: &out)
                    out += ")"
                }
            }
        case nil:
            // A leaf (String, Int, Bool, …): reflecting quotes and escapes strings, so texts cannot run together.
            out += String(reflecting: value)
        default:
            out += String(describing: mirror.subjectType) + "("
            for child in mirror.children {
                out += (child.label ?? "") + ":"
                write(child.value, into: &out)
                out += ","
            }
            out += ")"
        }
    }
}
