import SiteModel

/// The search page (`search/index.html`): every SOP in one table with its id, process, owner and review state, so the
/// page answers without JavaScript; with it, `search.js` runs the query in `?q=` in the search box above.
struct SearchPageListing: TemplateView {
    let pages: [SearchPageRow]
    let summary: String

    func child(named name: String) -> Any? {
        switch name {
        case "pages": present(pages)
        case "summary": present(summary)
        default: nil
        }
    }
}

/// One SOP on the search page.
struct SearchPageRow: TemplateView {
    let id: String
    let title: String
    /// Relative to the search page.
    let url: String
    /// "Work instruction", "Policy"; empty for a procedure.
    let kind: String
    let process: String
    let owner: String
    let badge: BadgeView

    func child(named name: String) -> Any? {
        switch name {
        case "id": present(id)
        case "title": present(title)
        case "url": present(url)
        case "kind": present(kind)
        case "process": present(process)
        case "owner": present(owner)
        case "badge": present(badge)
        default: nil
        }
    }
}

extension SiteRenderer {
    /// The search page's view: SOPs in the site's order (by id, then path).
    func searchPageListing(_ site: Site) -> SearchPageListing {
        let processTitles = Dictionary(site.processes.map { ($0.key, $0.title) }, uniquingKeysWith: { first, _ in first })
        let rows = site.pages.map { sop in
            SearchPageRow(id: sop.document.id, title: sop.document.title,
                          url: Permalink.relative(from: "/search/", to: sop.permalink),
                          kind: sop.document.kind == .procedure ? "" : sop.document.kind.label,
                          process: sop.document.processKey.flatMap { processTitles[$0] } ?? "",
                          owner: sop.owner?.name ?? sop.document.owner ?? "", badge: badge(sop.review))
        }
        return SearchPageListing(pages: rows, summary: rows.count == 1 ? "1 SOP" : "\(rows.count) SOPs")
    }
}
