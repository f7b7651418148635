import SOPCore

/// The built-in theme's hottest templates written out in Swift: the layout (every page), the SOP page (2,000 at 2,000
/// SOPs), the revision page (19,000 of a 2,000-SOP site's 23,000 pages) and the pages that list every SOP. swift-mustache finds each value by name through dynamic casts and protocol
/// lookups, and walked the sidebar item by item: about 15 % of a full build.
///
/// Each is used only while the theme's template is exactly the text it mirrors (`fingerprints`), so a theme that
/// overrides the template (`--theme`, `theme:` in sopsite.yml) renders through Mustache as before, and so does an
/// edited `theme/` file until its Swift twin is updated (`BuiltInTemplatesTests` renders both ways and fails on a
/// stale fingerprint).
struct BuiltInTemplates: Sendable {
    /// Template name → fingerprint of the text the Swift rendering below reproduces.
    static let fingerprints = [
        "layouts/layout": "3d6e0cf581c0b990f655b5db4f874b44",
        "layouts/revision": "8dfd438f276b476bec6199327d9162c2",
        "layouts/sop": "342b78436981685386c7d7d2608bede7",
        "partials/badge": "436c7d0be8a7cc1fbd93edba4f21ce3d",
        "partials/page-table": "a09e383cdefcb25e4c939f1f53fe2e24",
        "layouts/list": "4b19e62fef57249238ed151ccf38785a",
        "layouts/home": "9f59d7cc73d60abf1edd91a41ba45cb7",
        "layouts/search": "8057d1efa7c4ae3e2399ad463836929f",
        "layouts/dashboard": "8dc932e86fe7c79202250ff62783ec16",
    ]

    let layout: Bool
    let revision: Bool
    /// The SOP page with its badge partial.
    let sop: Bool
    /// The pages that list SOPs in tables (`BuiltInTemplates+Lists.swift`), each with the partials it includes.
    let list: Bool
    let home: Bool
    let search: Bool
    let dashboard: Bool

    init(theme: Theme) {
        func mirrors(_ name: String) -> Bool {
            theme.templates[name].map { Fingerprint.checksum($0.utf8) } == Self.fingerprints[name]
        }
        layout = mirrors("layouts/layout")
        revision = mirrors("layouts/revision")
        sop = mirrors("layouts/sop") && mirrors("partials/badge")
        list = mirrors("layouts/list") && mirrors("partials/page-table") && mirrors("partials/badge")
        home = mirrors("layouts/home") && mirrors("partials/page-table") && mirrors("partials/badge")
        search = mirrors("layouts/search") && mirrors("partials/badge")
        dashboard = mirrors("layouts/dashboard") && mirrors("partials/badge")
    }

    /// `template` rendered in Swift for `view`, when this theme's template is the built-in one and has a Swift twin.
    func render(_ template: String, _ view: Any) -> String? {
        switch template {
        case "layouts/list" where list: (view as? ListPageView).map(Self.list)
        case "layouts/home" where home: (view as? HomeView).map(Self.home)
        case "layouts/search" where search: (view as? SearchPageListing).map(Self.search)
        case "layouts/dashboard" where dashboard: (view as? DashboardView).map(Self.dashboard)
        default: nil
        }
    }

    /// `layouts/layout.mustache` for `view`, with the sidebar's items already rendered (`NavigationCache.html`).
    static func layout(_ view: LayoutView, navigationHTML: String) -> String {
        let root = escape(view.root)
        let siteTitle = escape(view.siteTitle)
        var out = ""
        out.reserveCapacity(view.content.utf8.count + navigationHTML.utf8.count + 3_000)
        out += "<!DOCTYPE html>\n<html lang=\"en\" data-root=\"" + root + "\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'\">\n"
        out += "<title>" + (view.isHome ? siteTitle : escape(view.pageTitle) + " · " + siteTitle) + "</title>\n"
        if !view.description.isEmpty { out += "<meta name=\"description\" content=\"" + escape(view.description) + "\">" }
        out += "\n<link rel=\"stylesheet\" href=\"" + root + "assets/style.css\">\n"
        out += "<script src=\"" + root + "assets/review-badge.js\" defer></script>\n"
        for script in view.scripts { out += "<script src=\"" + root + "assets/" + escape(script) + "\" defer></script>\n" }
        out += "<script src=\"" + root + "assets/search.js\" defer></script>\n</head>\n<body>\n"
        out += "<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n  <div class=\"site-header__inner\">\n"
        out += "    <a class=\"site-title\" href=\"" + root + "\">" + siteTitle + "</a>\n"
        out += "    <nav class=\"site-nav\" aria-label=\"Site\"><a href=\"" + root + "reviews/\">Reviews</a> <a href=\"" + root
            + "recent/\">Recent</a> <a href=\"" + root + "owners/\">Owners</a> <a href=\"" + root + "tags/\">Tags</a></nav>\n"
        out += "    <form class=\"search\" role=\"search\" action=\"" + root + "search/\" method=\"get\">\n"
        out += """
                  <label class="visually-hidden" for="search-input">Search procedures</label>
                  <input id="search-input" class="search__input" type="search" name="q" placeholder="Search procedures (press /)" autocomplete="off" spellcheck="false" role="combobox" aria-autocomplete="list" aria-controls="search-results" aria-expanded="false">
                  <div id="search-panel" class="search__panel" hidden>
                    <div id="search-filters" class="search__filters"></div>
                    <p id="search-status" class="search__status" role="status" aria-live="polite"></p>
                    <div id="search-results" class="search__list" role="listbox" aria-label="Search results"></div>
                  </div>
                </form>
              </div>
            </header>
            <div class="page">
              <nav class="sidebar" aria-label="Processes">
                <ul class="nav">

            """
        out += navigationHTML
        out += "    </ul>\n  </nav>\n  <main id=\"main\" class=\"content\">\n"
        if !view.notice.isEmpty { out += "<p class=\"notice notice--warning site-notice\" role=\"alert\">" + escape(view.notice) + "</p>" }
        out += "\n" + view.content + "\n"
        out += """
              </main>
            </div>
            <footer class="site-footer">
              <p>Built by sopsite from the Git history of this knowledge base.</p>
            </footer>
            </body>
            </html>

            """
        return out
    }

    /// The sidebar list items of `layouts/layout.mustache` (between `<ul class="nav">` and `</ul>`), from titles and
    /// URLs already escaped. An empty page title shows its process's, as Mustache's lookup up the context stack does.
    /// `NavigationCache.html(for:)` joins the same pieces from fragments it keeps.
    static func navigation(_ items: [NavigationItem]) -> String {
        var out = ""
        for process in items {
            out += navigationProcess(title: process.title, url: process.url, isCurrent: process.isCurrent, isPage: process.isPage)
            if process.isCurrent {
                out += navigationPagesStart
                let processTitle = escapedNavigationTitle(process.title)
                for page in process.pages { out += navigationPage(page, processTitle: processTitle, processURL: process.url) }
                out += navigationPagesEnd
            }
            out += navigationProcessEnd
        }
        return out
    }

    /// A process's sidebar item up to its pages.
    static func navigationProcess(title: String, url: String, isCurrent: Bool, isPage: Bool = false) -> String {
        "      <li class=\"nav__process" + (isCurrent ? " is-current" : "") + "\">\n        <a href=\"" + escape(url) + "\""
            + (isPage ? " aria-current=\"page\"" : "") + ">" + escapedNavigationTitle(title) + "</a>\n"
    }

    static let navigationPagesStart = "        <ul>\n          "
    static let navigationPagesEnd = "\n        </ul>\n"
    static let navigationProcessEnd = "      </li>\n"

    /// A process title as its pages' items show it when theirs is empty.
    static func escapedNavigationTitle(_ title: String) -> String { escape(title) }

    /// A procedure's sidebar item with its work instructions; `processTitle` already escaped.
    static func navigationPage(_ page: NavigationItem, processTitle: String, processURL: String) -> String {
        let pageTitle = page.title.isEmpty ? processTitle : escape(page.title)
        var out = "<li><a href=\"" + escape(page.url.isEmpty ? processURL : page.url) + "\"" + (page.isCurrent ? " aria-current=\"page\"" : "")
            + ">" + pageTitle + "</a>"
        if !page.pages.isEmpty {
            out += "<ul class=\"nav__instructions\">"
            for instruction in page.pages {
                let url = !instruction.url.isEmpty ? instruction.url : !page.url.isEmpty ? page.url : processURL
                out += "<li><a href=\"" + escape(url) + "\"" + (instruction.isCurrent ? " aria-current=\"page\"" : "") + ">"
                    + (instruction.title.isEmpty ? pageTitle : escape(instruction.title)) + "</a></li>"
            }
            out += "</ul>"
        }
        return out + "</li>"
    }

    /// `layouts/revision.mustache` for `view`.
    static func revision(_ view: RevisionView) -> String {
        let currentURL = escape(view.currentURL)
        var out = ""
        out.reserveCapacity(view.html.utf8.count + view.diffHTML.utf8.count + 1_000)
        out += "<article class=\"sop sop-revision" + (view.isCurrent ? "" : " sop--obsolete") + "\">\n"
        out += "  <p class=\"eyebrow\"><span class=\"sop__id\">" + escape(view.id) + "</span> · " + escape(view.revision)
            + " of <time datetime=\"" + escape(view.dayISO) + "\">" + escape(view.day) + "</time> by " + escape(view.author)
            + " <code>" + escape(view.shortID) + "</code></p>\n"
        out += "  <h1>" + escape(view.title) + "</h1>\n"
        if !view.isCurrent {
            out += "  <div class=\"notice notice--obsolete watermark\" role=\"note\">\n    <p><strong>Obsolete: superseded by "
                + escape(view.currentRevision) + ".</strong> This is an earlier revision, kept for the record. Follow <a href=\""
                + currentURL + "\">the current procedure</a>.</p>\n  </div>\n"
        }
        out += "  "
        if view.isCurrent {
            out += "<p class=\"notice notice--current\" role=\"note\">This is the current revision. <a href=\"" + currentURL
                + "\">Open the procedure</a>.</p>"
        }
        out += "\n  <p class=\"muted\">Change: " + escape(view.subject) + "</p>\n"
        if view.hasDiff {
            out += "  <details class=\"diff\" open>\n    <summary>Changes from " + escape(view.previousRevision) + ": \(view.added) line(s) added, "
                + "\(view.removed) removed</summary>\n    <pre class=\"diff__lines\">" + view.diffHTML + "</pre>\n  </details>\n"
        }
        out += "  <div class=\"prose\">\n" + view.html + "\n  </div>\n</article>\n"
        return out
    }

    private static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}
