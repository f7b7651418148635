import Foundation
import SiteModel

/// The sidebar for every page, computed once per folder, when a page of that folder is first rendered: pages in the
/// same folder share every relative URL, so only the "current" marks differ. Without this, a process of n pages cost
/// n² URL computations; computed for every folder up front, it was a twentieth of a one-SOP rebuild.
struct NavigationCache: Sendable {
    private let site: Site
    /// The folders of the site's own pages, process pages and SOP pages: pages elsewhere (revision pages) get no
    /// sidebar.
    private let folders: Set<String>
    private let byFolder = FolderEntries()

    private struct Entry: Sendable {
        let process: ProcessSection
        let url: String
        /// The process's pages in reading order; work instructions carry their procedure's permalink.
        let pageURLs: [(permalink: String, title: String, url: String, parent: String?)]
        /// The procedures (pages without a parent), and each page's position among them (a work instruction takes its
        /// procedure's), so a sidebar is cut around the current page without a scan.
        let top: [(permalink: String, title: String, url: String, parent: String?)]
        let position: [String: Int]
        let instructions: [String: [(permalink: String, title: String, url: String, parent: String?)]]
    }

    /// Entries per folder, filled as pages ask (from several rendering tasks at once).
    private final class FolderEntries: @unchecked Sendable {
        // @unchecked: `entries` is only touched under `lock`.
        private let lock = NSLock()
        private var entries: [String: [Entry]] = [:]

        func get(_ folder: String, orMake make: () -> [Entry]) -> [Entry] {
            if let known = lock.withLock({ entries[folder] }) { return known }
            // Made outside the lock: two tasks may both make a folder's entries, which are equal.
            let made = make()
            lock.withLock { entries[folder] = made }
            return made
        }
    }

    /// Most procedures a sidebar lists for one process: beyond it, the current page's neighbours (a process of 3,000
    /// procedures put all of them on each of its 3,000 pages: minutes of rendering); the process page lists them all.
    static let limit = 40

    init(site: Site) {
        self.site = site
        var folders = Set([Self.folder(of: "/"), Self.folder(of: "/search/")])
        for process in site.processes { folders.insert(Self.folder(of: process.permalink)) }
        for page in site.pages { folders.insert(Self.folder(of: page.permalink)) }
        self.folders = folders
    }

    /// Every process's sidebar entry as seen from pages in `folder`.
    private static func entries(site: Site, folder: String) -> [Entry] {
        site.processes.map { process in
            // Every page in `folder` sees the same relative URLs; compute them from a name no slug can take.
            let from = folder.isEmpty ? "/" : folder + "\u{1}/"
            // Work instructions nest under the procedure whose step they detail (`parent:`), as on the process page.
            let byID = Dictionary(process.pages.map { ($0.document.id, $0.permalink) }, uniquingKeysWith: { first, _ in first })
            let pageURLs = process.pages.filter { !$0.isObsolete }.map { page in
                let parent = page.document.kind == .workInstruction ? page.document.parent.flatMap { byID[$0] } : nil
                return (permalink: page.permalink, title: page.document.title, url: Permalink.relative(from: from, to: page.permalink), parent: parent)
            }
            let top = pageURLs.filter { $0.parent == nil }
            var position: [String: Int] = [:]
            for (index, page) in top.enumerated() { position[page.permalink] = index }
            var instructions: [String: [(permalink: String, title: String, url: String, parent: String?)]] = [:]
            for page in pageURLs {
                guard let parent = page.parent else { continue }
                instructions[parent, default: []].append(page)
                position[page.permalink] = position[parent]
            }
            return Entry(process: process, url: Permalink.relative(from: from, to: process.permalink), pageURLs: pageURLs,
                         top: top, position: position, instructions: instructions)
        }
    }

    /// The parent folder of a page permalink (`/a/b/` → `/a/`, `/a/` → `/`); "" for the home page itself.
    static func folder(of permalink: String) -> String {
        let parts = permalink.split(separator: "/")
        if parts.isEmpty { return "" }
        return "/" + parts.dropLast().map { $0 + "/" }.joined()
    }

    /// The sidebar for the page at `permalink`: every process, and the pages of the current page's process.
    func items(for permalink: String, current: String) -> [NavigationItem] {
        let folder = Self.folder(of: permalink)
        guard folders.contains(folder) else { return [] }
        let entries = byFolder.get(folder) { Self.entries(site: site, folder: folder) }
        return entries.map { entry in
            let isCurrent = current == entry.process.permalink || entry.position[current] != nil
            guard isCurrent else { return NavigationItem(title: entry.process.title, url: entry.url, isCurrent: false, pages: []) }
            var shown = entry.top[...]
            if entry.top.count > Self.limit {
                let low = max(0, min((entry.position[current] ?? 0) - Self.limit / 2, entry.top.count - Self.limit))
                shown = entry.top[low..<(low + Self.limit)]
            }
            return NavigationItem(title: entry.process.title, url: entry.url, isCurrent: true, pages: shown.map { page in
                NavigationItem(title: page.title, url: page.url, isCurrent: page.permalink == current,
                               pages: (entry.instructions[page.permalink] ?? []).map {
                                   NavigationItem(title: $0.title, url: $0.url, isCurrent: $0.permalink == current, pages: [])
                               })
            })
        }
    }
}
