import Documents
import Mustache
import SiteModel
import SOPCore

/// Reader navigation: process maps, previous/next, work instructions under their procedures, tag, owner and
/// recently-changed pages.
extension SiteRenderer {
    /// Site-relative URL of an owner's page.
    static func ownerPermalink(_ handle: String) -> String { "/owners/\(Permalink.slug(handle))/" }
    /// Site-relative URL of a tag's page.
    static func tagPermalink(_ tag: String) -> String { "/tags/\(Permalink.slug(tag))/" }

    /// `pages` by owner page, sorted by its slug. Handles that differ only in what the slug drops (`dana`, `Dana`,
    /// `dana&`) share the one page their links point at (found by fuzzing: each overwrote the other's page and
    /// calendar); it is named after a handle in the owners file, else the first in order.
    static func pagesByOwner(_ pages: [SOPPage], owners: Owners) -> [(slug: String, handle: String, pages: [SOPPage])] {
        var bySlug: [String: (handle: String, pages: [SOPPage])] = [:]
        for page in pages {
            guard let owner = page.document.owner else { continue }
            let slug = Permalink.slug(owner)
            // Changed in place: an entry taken out, appended to and put back copied its pages every time.
            bySlug[slug, default: (owner, [])].pages.append(page)
            if let handle = bySlug[slug]?.handle, (owners[owner] == nil ? 1 : 0, owner) < (owners[handle] == nil ? 1 : 0, handle) {
                bySlug[slug]?.handle = owner
            }
        }
        return bySlug.keys.sorted().compactMap { slug in bySlug[slug].map { (slug, $0.handle, $0.pages) } }
    }

    /// A process's procedures in order, each with the work instructions that detail its steps (`parent:`); a work
    /// instruction whose parent is not in the process is a stage of its own.
    func stages(of process: ProcessSection, from permalink: String) -> [StageView] {
        let procedureIDs = Set(process.pages.filter { $0.document.kind != .workInstruction }.map(\.document.id))
        let nested = process.pages.filter { $0.document.kind == .workInstruction && $0.document.parent.map(procedureIDs.contains) == true }
        let nestedIDs = Set(nested.map(\.document.id))
        let top = process.pages.filter { !nestedIDs.contains($0.document.id) && !$0.isObsolete }
        return top.enumerated().map { index, page in
            StageView(number: index + 1, row: row(page, from: permalink),
                      instructions: nested.filter { $0.document.parent == page.document.id }.map { row($0, from: permalink) })
        }
    }

    /// The process map as inline SVG.
    func diagram(of process: ProcessSection) -> String {
        let top = stages(of: process, from: process.permalink)
        return ProcessDiagram.svg(title: process.title, start: process.document?.start, end: process.document?.end,
                                  stages: top.map { ("\($0.number). \($0.row.title)", $0.row.url) })
    }

    /// Previous and next page in the process's reading order (stages, each followed by its work instructions).
    func neighbours(of sop: SOPPage, in order: ReadingOrder) -> (previous: LinkView?, next: LinkView?) {
        func link(_ page: ReadingOrder.Page?) -> LinkView? {
            page.map { LinkView(text: $0.title, url: Permalink.relative(from: sop.permalink, to: $0.permalink)) }
        }
        let around = order.neighbours[sop.permalink]
        return (link(around?.previous), link(around?.next))
    }

    /// "today", "3 days ago", "2 months ago", "1 year ago": from the build's `now`, so the text is deterministic;
    /// the absolute date stays beside it.
    static func ago(_ day: Day, now: Day) -> String {
        let days = day.days(until: now)
        switch days {
        // A change after the build's day (`--now` set earlier than the last commit) has no "ago".
        case ..<0: return "after this site's date"
        case 0: return "today"
        case 1: return "yesterday"
        case 2..<31: return "\(days) days ago"
        case 31..<365:
            let months = max(1, days / 30)
            return months == 1 ? "1 month ago" : "\(months) months ago"
        default:
            let years = days / 365
            return years == 1 ? "1 year ago" : "\(years) years ago"
        }
    }

    /// Tag, owner and recently-changed pages.
    func listPages(_ site: Site, library: MustacheLibrary, navigation: NavigationCache) throws(OutputError) -> [OutputFile] {
        var files: [OutputFile] = []
        let live = site.pages.filter { !$0.isObsolete }

        var byTag: [String: [SOPPage]] = [:]
        for page in live { for tag in page.document.tags { byTag[Permalink.slug(tag), default: []].append(page) } }
        let tagNames = Dictionary(live.flatMap(\.document.tags).map { (Permalink.slug($0), $0) }, uniquingKeysWith: { first, _ in first })
        for key in byTag.keys.sorted() {
            let permalink = "/tags/\(key)/"
            let pages = byTag[key] ?? []
            files.append(try page(library, navigation, site, "layouts/list", ListPageView(
                eyebrow: "Tag", title: tagNames[key] ?? key, lead: "\(pages.count) SOP\(pages.count == 1 ? "" : "s") tagged \(tagNames[key] ?? key).",
                pages: pages.map { row($0, from: permalink) }, links: []), title: "Tag: \(tagNames[key] ?? key)", permalink: permalink))
        }
        files.append(try page(library, navigation, site, "layouts/list", ListPageView(
            eyebrow: "Index", title: "Tags", lead: "Every tag used on an SOP.", pages: [],
            links: byTag.keys.sorted().map { LinkView(text: "\(tagNames[$0] ?? $0) (\(byTag[$0]?.count ?? 0))", url: "\($0)/") }),
            title: "Tags", permalink: "/tags/"))

        let byOwner = Self.pagesByOwner(live, owners: site.owners)
        for (slug, handle, owned) in byOwner {
            let permalink = "/owners/\(slug)/"
            let pages = ReviewOutputs.byUrgency(owned)
            let owner = site.owners[handle]
            let overdue = pages.filter { $0.review.state == .overdue }.count
            files.append(try page(library, navigation, site, "layouts/list", ListPageView(
                eyebrow: owner?.team ?? "Owner", title: owner?.name ?? handle,
                lead: "Accountable for \(pages.count) SOP\(pages.count == 1 ? "" : "s"), \(overdue) overdue for review. Most urgent first.",
                pages: pages.map { row($0, from: permalink) }, links: []), title: "Owner: \(owner?.name ?? handle)", permalink: permalink))
        }
        files.append(try page(library, navigation, site, "layouts/list", ListPageView(
            eyebrow: "Index", title: "Owners", lead: "Who is accountable for which SOPs.", pages: [],
            links: byOwner.sorted { ((site.owners[$0.handle]?.name ?? $0.handle), $0.slug) < ((site.owners[$1.handle]?.name ?? $1.handle), $1.slug) }.map {
                LinkView(text: "\(site.owners[$0.handle]?.name ?? $0.handle) (\($0.pages.count))", url: Permalink.percentEncode($0.slug) + "/")
            }), title: "Owners", permalink: "/owners/"))

        // Indices sorted, not pages: moving SOPPage values (large ones) cost more than comparing them.
        let changed = live.filter { $0.lastChange != nil }
        let recent = changed.indices.sorted {
            (changed[$0].lastChange!.instant.secondsSinceEpoch, changed[$0].document.id) > (changed[$1].lastChange!.instant.secondsSinceEpoch, changed[$1].document.id)
        }.prefix(50).map { changed[$0] }
        files.append(try page(library, navigation, site, "layouts/list", ListPageView(
            eyebrow: "Index", title: "Recently changed", lead: "The 50 SOPs changed most recently, newest first.",
            pages: recent.map { row($0, from: "/recent/") }, links: []), title: "Recently changed", permalink: "/recent/"))
        return files
    }
}

/// Each SOP's place in its process, computed once per build: reading order (stages, each followed by its work
/// instructions) and the work instructions of each procedure. Asking per page was quadratic in a process's size.
struct ReadingOrder: Sendable {
    /// What a page's previous and next links and its work-instruction list show of another page (copying whole
    /// `SOPPage`s into these tables was a sixth of preparing a 2,000-SOP site).
    struct Page: Sendable {
        let title: String
        let permalink: String
    }

    let neighbours: [String: (previous: Page?, next: Page?)]
    let instructions: [String: [Page]]

    init(site: Site) {
        var neighbours: [String: (previous: Page?, next: Page?)] = [:]
        var instructions: [String: [Page]] = [:]
        for process in site.processes {
            var procedureIDs: Set<String> = []
            for page in process.pages where page.document.kind != .workInstruction { procedureIDs.insert(page.document.id) }
            var byParent: [String: [Page]] = [:]
            var top: [(id: String, page: Page)] = []
            for page in process.pages where !page.isObsolete {
                let link = Page(title: page.document.title, permalink: page.permalink)
                if page.document.kind == .workInstruction, let parent = page.document.parent, procedureIDs.contains(parent) {
                    byParent[parent, default: []].append(link)
                } else {
                    top.append((page.document.id, link))
                }
            }
            let order = top.flatMap { [$0.page] + (byParent[$0.id] ?? []) }
            for (index, page) in order.enumerated() {
                neighbours[page.permalink] = (index > 0 ? order[index - 1] : nil, index + 1 < order.count ? order[index + 1] : nil)
            }
            for (parent, pages) in byParent { instructions[parent] = pages }
        }
        self.neighbours = neighbours
        self.instructions = instructions
    }
}
