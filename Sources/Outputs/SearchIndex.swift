import SiteModel

/// `search-index.json`, first cut: one entry per SOP with its words; the client filters as you type.
///
/// Shape (version 1): `{"version": 1, "pages": [{"id", "title", "process", "owner", "url", "state", "headings": [...],
/// "text"}]}`, pages sorted by id; `url` is site-relative without the leading `/`, so the client can prefix the path
/// to the site root from any page.
public enum SearchIndex {
    public struct Entry: Sendable {
        public let page: SOPPage
        public let headings: [String]
        public let text: String
    }

    struct File: Encodable {
        let version: Int
        let pages: [Page]
    }

    struct Page: Encodable {
        let id: String
        let title: String
        let process: String
        let owner: String
        let url: String
        let state: String
        let headings: [String]
        let text: String
    }

    /// Longest body text kept per page, in characters: enough for matching and excerpts, bounded for large SOPs.
    static let textLimit = 4000

    static func build(_ site: Site, entries: [Entry]) -> [UInt8] {
        let processTitles = Dictionary(site.processes.map { ($0.key, $0.title) }, uniquingKeysWith: { first, _ in first })
        let pages = entries.map { entry in
            Page(id: entry.page.document.id, title: entry.page.document.title,
                 process: entry.page.document.processKey.flatMap { processTitles[$0] } ?? "",
                 owner: entry.page.document.owner ?? "", url: String(entry.page.permalink.dropFirst()),
                 state: entry.page.review.state.rawValue, headings: entry.headings,
                 text: String(entry.text.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(textLimit)))
        }.sorted { ($0.id, $0.url) < ($1.id, $1.url) }
        return JSONOutput.encode(File(version: 1, pages: pages))
    }
}
