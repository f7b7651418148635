import Foundation
import SiteModel

/// The sidebar for every page, computed once per folder, when a page of that folder is first rendered: pages in the
/// same folder share every relative URL, so only the "current" marks differ. Without this, a process of n pages cost
/// n² URL computations; computed for every folder up front, it was a twentieth of a one-SOP rebuild.
///
/// A folder's pages are listed only for the processes whose pages ask (a page shows its own process's pages, the
/// others collapsed), and the built-in layout's sidebar HTML is kept as fragments, so a page's sidebar is joined from
/// them (`html(for:)`): items and their HTML built page by page were a twentieth of a build.
struct NavigationCache: Sendable {
    private let site: Site
    /// Per process (in `site.processes` order): which pages the sidebar lists, made once per site.
    private let structures: [Structure]
    private let byFolder = Memo<String, [ProcessEntry]>()
    /// The same entries by their URLs: folders whose pages link the same (every earlier revision's folder) share one
    /// array of fragments, not 2,000 copies.
    private let byURLs = Memo<[String], [ProcessEntry]>()
    private let pagesByFolder = Memo<PagesKey, ProcessPages>()

    private typealias Page = (permalink: String, title: String, url: String, parent: String?)

    /// The process's pages in force (indices into its pages), for each the permalink of the procedure it nests under,
    /// and the permalinks the sidebar lists under the process, so a page knows its process without their URLs.
    private struct Structure: Sendable {
        let live: [Int]
        let parents: [String?]
        let members: Set<String>
    }

    /// A process as seen from pages in one folder.
    private struct ProcessEntry: Sendable {
        let process: ProcessSection
        let index: Int
        let url: String
        /// The built-in layout's item for the process when the page is not in it, and its opening when it is.
        let collapsedHTML: String
        let openingHTML: String
    }

    private struct PagesKey: Hashable, Sendable {
        let folder: String
        let process: Int
    }

    /// One process's pages as seen from pages in one folder.
    private struct ProcessPages: Sendable {
        /// The procedures (pages without a parent), and each page's position among them (a work instruction takes its
        /// procedure's), so a sidebar is cut around the current page without a scan.
        let top: [Page]
        let position: [String: Int]
        /// Work instructions under the permalink of the procedure whose step they detail.
        let instructions: [String: [Page]]
        /// Each procedure's item in the built-in layout when neither it nor its instructions is the current page.
        let html: [String]
    }

    /// Values made once per key, from several rendering tasks at once.
    private final class Memo<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
        // @unchecked: `values` is only touched under `lock`.
        private let lock = NSLock()
        private var values: [Key: Value] = [:]

        func get(_ key: Key, orMake make: () -> Value) -> Value {
            if let known = lock.withLock({ values[key] }) { return known }
            // Made outside the lock: two tasks may both make a key's value, which are equal.
            let made = make()
            lock.withLock { values[key] = made }
            return made
        }
    }

    /// Most procedures a sidebar lists for one process: beyond it, the current page's neighbours (a process of 3,000
    /// procedures put all of them on each of its 3,000 pages: minutes of rendering); the process page lists them all.
    static let limit = 40

    init(site: Site) {
        self.site = site
        structures = site.processes.map(Self.structure(of:))
    }

    /// Every page in `folder` sees the same relative URLs; they are computed from a name no slug can take.
    private static func origin(of folder: String) -> String {
        // A folder page (`/a/b/`) links from `/a/b/`: computed from a sibling; a file page's key (`folder(of:)`) is
        // itself a file in its folder.
        folder.isEmpty ? "/" : folder.hasSuffix("\u{1}") ? folder : folder + "\u{1}/"
    }

    /// Every process's sidebar entry, given its URL as seen from the pages asking (`urls`, in process order).
    private static func entries(site: Site, urls: [String]) -> [ProcessEntry] {
        site.processes.enumerated().map { index, process in
            let url = urls[index]
            return ProcessEntry(process: process, index: index, url: url,
                                collapsedHTML: BuiltInTemplates.navigationProcess(title: process.title, url: url, isCurrent: false)
                                    + BuiltInTemplates.navigationProcessEnd,
                                openingHTML: BuiltInTemplates.navigationProcess(title: process.title, url: url, isCurrent: true)
                                    + BuiltInTemplates.navigationPagesStart)
        }
    }

    /// Work instructions nest under the procedure whose step they detail (`parent:`), as on the process page; one
    /// whose procedure is not in force is listed nowhere.
    private static func structure(of process: ProcessSection) -> Structure {
        let byID = Dictionary(process.pages.map { ($0.document.id, $0.permalink) }, uniquingKeysWith: { first, _ in first })
        let live = process.pages.indices.filter { !process.pages[$0].isObsolete }
        let parents = live.map { index in
            let document = process.pages[index].document
            return document.kind == .workInstruction ? document.parent.flatMap { byID[$0] } : nil
        }
        var members = Set<String>()
        for (index, parent) in zip(live, parents) where parent == nil { members.insert(process.pages[index].permalink) }
        let top = members
        for (index, parent) in zip(live, parents) where parent.map(top.contains) == true { members.insert(process.pages[index].permalink) }
        return Structure(live: live, parents: parents, members: members)
    }

    /// The pages of `process` as seen from pages in `folder`.
    private static func pages(of process: ProcessSection, structure: Structure, url processURL: String, folder: String) -> ProcessPages {
        let from = origin(of: folder)
        let pageURLs: [Page] = zip(structure.live, structure.parents).map { index, parent in
            let page = process.pages[index]
            return (permalink: page.permalink, title: page.document.title, url: Permalink.relative(from: from, to: page.permalink), parent: parent)
        }
        let top = pageURLs.filter { $0.parent == nil }
        var position: [String: Int] = [:]
        for (index, page) in top.enumerated() { position[page.permalink] = index }
        var instructions: [String: [Page]] = [:]
        for page in pageURLs {
            guard let parent = page.parent else { continue }
            instructions[parent, default: []].append(page)
            position[page.permalink] = position[parent]
        }
        let processTitle = BuiltInTemplates.escapedNavigationTitle(process.title)
        let html = top.map { page in
            BuiltInTemplates.navigationPage(item(page, instructions: instructions, current: nil), processTitle: processTitle, processURL: processURL)
        }
        return ProcessPages(top: top, position: position, instructions: instructions, html: html)
    }

    private static func item(_ page: Page, instructions: [String: [Page]], current: String?) -> NavigationItem {
        NavigationItem(title: page.title, url: page.url, isCurrent: page.permalink == current,
                       pages: (instructions[page.permalink] ?? []).map {
                           NavigationItem(title: $0.title, url: $0.url, isCurrent: $0.permalink == current, pages: [])
                       })
    }

    /// The key of the pages that share a sidebar's URLs with the page at `permalink`: a folder page's parent folder
    /// (`/a/b/` → `/a/`, `/a/` → `/`; "" for the home page itself), and a file page's own folder marked as such
    /// (`/a/b/1.html` → `/a/b/` and U+0001), since it links from that folder, one level up from a folder page in it.
    static func folder(of permalink: String) -> String {
        let parts = permalink.split(separator: "/")
        if parts.isEmpty { return "" }
        let parent = "/" + parts.dropLast().map { $0 + "/" }.joined()
        return permalink.hasSuffix("/") ? parent : parent + "\u{1}"
    }

    /// The entries of `folder`, and for the process `current` is in (or is), its pages and window around `current`.
    private func visit(_ permalink: String, current: String,
                       _ body: (ProcessEntry, (pages: ProcessPages, shown: Range<Int>)?) -> Void) {
        // Every page has the sidebar: its own pages, tag and owner pages, and earlier revisions' pages (file URLs).
        let folder = Self.folder(of: permalink)
        let entries = byFolder.get(folder) {
            let from = Self.origin(of: folder)
            let urls = site.processes.map { Permalink.relative(from: from, to: $0.permalink) }
            return byURLs.get(urls) { Self.entries(site: site, urls: urls) }
        }
        for entry in entries {
            guard current == entry.process.permalink || structures[entry.index].members.contains(current) else {
                body(entry, nil)
                continue
            }
            let pages = pagesByFolder.get(PagesKey(folder: folder, process: entry.index)) {
                Self.pages(of: entry.process, structure: structures[entry.index], url: entry.url, folder: folder)
            }
            var shown = pages.top.indices
            if pages.top.count > Self.limit {
                let low = max(0, min((pages.position[current] ?? 0) - Self.limit / 2, pages.top.count - Self.limit))
                shown = low..<(low + Self.limit)
            }
            body(entry, (pages, shown))
        }
    }

    /// The sidebar for the page at `permalink`: every process, and the pages of the current page's process.
    func items(for permalink: String, current: String) -> [NavigationItem] {
        var items: [NavigationItem] = []
        visit(permalink, current: current) { entry, open in
            guard let (pages, shown) = open else {
                items.append(NavigationItem(title: entry.process.title, url: entry.url, isCurrent: false, pages: []))
                return
            }
            items.append(NavigationItem(title: entry.process.title, url: entry.url, isCurrent: true, pages: pages.top[shown].map {
                Self.item($0, instructions: pages.instructions, current: current)
            }, isPage: entry.process.permalink == current))
        }
        return items
    }

    /// `BuiltInTemplates.navigation(items(for: permalink, current: permalink))`, joined from fragments made once per
    /// folder (tested to be the same on every page of a site).
    func html(for permalink: String) -> String {
        var out = ""
        visit(permalink, current: permalink) { entry, open in
            guard let (pages, shown) = open else {
                out += entry.collapsedHTML
                return
            }
            // On the process page itself, its link is the current page's.
            out += entry.process.permalink == permalink
                ? BuiltInTemplates.navigationProcess(title: entry.process.title, url: entry.url, isCurrent: true, isPage: true)
                    + BuiltInTemplates.navigationPagesStart
                : entry.openingHTML
            let processTitle = BuiltInTemplates.escapedNavigationTitle(entry.process.title)
            for index in shown {
                let page = pages.top[index]
                // Only the current page's procedure differs from its fragment.
                if pages.position[permalink] == index {
                    out += BuiltInTemplates.navigationPage(Self.item(page, instructions: pages.instructions, current: permalink),
                                                           processTitle: processTitle, processURL: entry.url)
                } else {
                    out += pages.html[index]
                }
            }
            out += BuiltInTemplates.navigationPagesEnd + BuiltInTemplates.navigationProcessEnd
        }
        return out
    }
}
