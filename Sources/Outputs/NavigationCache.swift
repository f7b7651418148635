import SiteModel

/// The sidebar for every page, computed once per folder: pages in the same folder share every relative URL, so only
/// the "current" marks differ. Without this, a process of n pages cost n² URL computations.
struct NavigationCache: Sendable {
    private let site: Site
    private let byFolder: [String: [Entry]]

    private struct Entry: Sendable {
        let process: ProcessSection
        let url: String
        /// The process's pages in reading order; work instructions carry their procedure's permalink.
        let pageURLs: [(permalink: String, title: String, url: String, parent: String?)]
    }

    init(site: Site) {
        self.site = site
        var folders = Set([Self.folder(of: "/"), Self.folder(of: "/search/")])
        for process in site.processes { folders.insert(Self.folder(of: process.permalink)) }
        for page in site.pages { folders.insert(Self.folder(of: page.permalink)) }
        var byFolder: [String: [Entry]] = [:]
        for folder in folders {
            byFolder[folder] = site.processes.map { process in
                // Every page in `folder` sees the same relative URLs; compute them from a name no slug can take.
                let from = folder.isEmpty ? "/" : folder + "\u{1}/"
                // Work instructions nest under the procedure whose step they detail (`parent:`), as on the process page.
                let byID = Dictionary(process.pages.map { ($0.document.id, $0.permalink) }, uniquingKeysWith: { first, _ in first })
                return Entry(process: process, url: Permalink.relative(from: from, to: process.permalink),
                             pageURLs: process.pages.filter { !$0.isObsolete }.map { page in
                                 let parent = page.document.kind == .workInstruction ? page.document.parent.flatMap { byID[$0] } : nil
                                 return (page.permalink, page.document.title, Permalink.relative(from: from, to: page.permalink), parent)
                             })
            }
        }
        self.byFolder = byFolder
    }

    /// The parent folder of a page permalink (`/a/b/` → `/a/`, `/a/` → `/`); "" for the home page itself.
    static func folder(of permalink: String) -> String {
        let parts = permalink.split(separator: "/")
        if parts.isEmpty { return "" }
        return "/" + parts.dropLast().map { $0 + "/" }.joined()
    }

    /// The sidebar for the page at `permalink`: every process, and the pages of the current page's process.
    func items(for permalink: String, current: String) -> [NavigationItem] {
        let entries = byFolder[Self.folder(of: permalink)] ?? []
        return entries.map { entry in
            let isCurrent = current == entry.process.permalink || entry.process.pages.contains { $0.permalink == current }
            guard isCurrent else { return NavigationItem(title: entry.process.title, url: entry.url, isCurrent: false, pages: []) }
            let top = entry.pageURLs.filter { $0.parent == nil }
            return NavigationItem(title: entry.process.title, url: entry.url, isCurrent: true, pages: top.map { page in
                NavigationItem(title: page.title, url: page.url, isCurrent: page.permalink == current,
                               pages: entry.pageURLs.filter { $0.parent == page.permalink }.map {
                                   NavigationItem(title: $0.title, url: $0.url, isCurrent: $0.permalink == current, pages: [])
                               })
            })
        }
    }
}
