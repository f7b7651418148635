import TestSupport
import SOPCore
import SiteModel
import History
import Foundation
import Documents
import Mustache
@testable import Outputs
import Testing

/// `BuiltInTemplates` renders the built-in layout and revision templates in Swift; it must give Mustache's bytes for
/// every kind of value, and be in use for the built-in theme (an edited template turns it off silently otherwise).
@Suite struct BuiltInTemplatesTests {
    func mustache(_ template: String, _ view: Any) throws -> String {
        let library = try Theme.builtIn.library()
        return try #require(library.render(view, withTemplate: template))
    }

    @Test("the built-in theme's layout and revision templates are the ones rendered in Swift (update the twin and its fingerprint)")
    func fingerprintsCurrent() {
        let builtIn = BuiltInTemplates(theme: .builtIn)
        #expect(builtIn.layout && builtIn.revision && builtIn.sop)
        let overridden = Theme.builtIn.overlaid(with: Theme(templates: ["layouts/layout": "{{{content}}}"], assets: [:]))
        #expect(!BuiltInTemplates(theme: overridden).layout && BuiltInTemplates(theme: overridden).revision)
    }

    static var sidebar: [NavigationItem] { [
        NavigationItem(title: "Other & more", url: "../other/", isCurrent: false, pages: []),
        NavigationItem(title: "Customer <support>", url: "../cs/", isCurrent: true, pages: [
            NavigationItem(title: "Refund \"fast\"", url: "../cs/refund/", isCurrent: false, pages: [
                NavigationItem(title: "Step's detail", url: "../cs/detail/", isCurrent: true, pages: []),
                NavigationItem(title: "", url: "", isCurrent: false, pages: []),
            ]),
            NavigationItem(title: "", url: "", isCurrent: false, pages: [NavigationItem(title: "", url: "", isCurrent: false, pages: [])]),
            NavigationItem(title: "Plain", url: "../cs/plain/", isCurrent: false, pages: []),
        ]),
        NavigationItem(title: "", url: "", isCurrent: true, pages: []),
    ] }

    static var layouts: [LayoutView] { [
        LayoutView(siteTitle: "Handbook & co", pageTitle: "Refund <now>", root: "../../", content: "<p>Body</p>", navigation: sidebar,
                   description: "Scope \"x\"", isHome: false, scripts: ["print.js", "a&b.js"], notice: "Shallow <clone>"),
        LayoutView(siteTitle: "", pageTitle: "", root: "./", content: "", navigation: [], description: "", isHome: true, scripts: []),
        LayoutView(siteTitle: "Home", pageTitle: "Ignored", root: "./", content: "x\n", navigation: [sidebar[0]], description: "",
                   isHome: true, scripts: ["dashboard.js"]),
    ] }

    @Test("the layout in Swift is Mustache's, byte for byte", arguments: 0..<3)
    func layout(index: Int) throws {
        let view = Self.layouts[index]
        let swift = BuiltInTemplates.layout(view, navigationHTML: BuiltInTemplates.navigation(view.navigation))
        #expect(swift == (try mustache("layouts/layout", view)))
    }

    @Test("the sidebar joined from fragments is the one rendered from items, on every page: long processes, work instructions, an orphaned one, markup in titles")
    func sidebarFragments() throws {
        var files = [
            SourceFile(path: RepoPath("content/long/_process.md"), bytes: Array("---\ntitle: Long & <wide>\n---\nWhy.\n".utf8)),
            SourceFile(path: RepoPath("content/short/_process.md"), bytes: Array("---\ntitle: Short\n---\nWhy.\n".utf8)),
            SourceFile(path: RepoPath("content/short/a.md"), bytes: Array("---\nid: S-1\ntitle: \"A <b> & 'c'\"\n---\nText.\n".utf8)),
            SourceFile(path: RepoPath("content/short/wi.md"), bytes: Array("---\nid: W-1\ntitle: Detail\ntype: work-instruction\nparent: S-1\n---\nText.\n".utf8)),
            SourceFile(path: RepoPath("content/short/old.md"), bytes: Array("---\nid: S-0\ntitle: Old\nstatus: retired\n---\nText.\n".utf8)),
            SourceFile(path: RepoPath("content/short/orphan.md"), bytes: Array("---\nid: W-0\ntitle: Orphan\ntype: work-instruction\nparent: S-0\n---\nText.\n".utf8)),
        ]
        for number in 0..<(NavigationCache.limit + 7) {
            files.append(SourceFile(path: RepoPath("content/long/p\(number).md"), bytes: Array("---\nid: L-\(number)\ntitle: Page \(number)\n---\nText.\n".utf8)))
            if number % 9 == 0 {
                files.append(SourceFile(path: RepoPath("content/long/w\(number).md"),
                                        bytes: Array("---\nid: LW-\(number)\ntitle: Step \(number)\ntype: work-instruction\nparent: L-\(number)\n---\nText.\n".utf8)))
            }
        }
        let documents = DocumentLoader(contentRoot: RepoPath("content")).load(files).value
        let site = Site.assemble(documents: documents, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                                 config: SiteConfig(), now: Day(2025, 1, 1)).value
        let navigation = NavigationCache(site: site)
        let permalinks = ["/", "/search/", "/tags/", "/reviews/", "/nowhere/at/all/", "/tags/billing/", "/owners/dana/", "/sop/l-1/rev/2.html",
                          "/sop/l-1/rev/3.html", "/a.html"] + site.processes.map(\.permalink) + site.pages.map(\.permalink)
        #expect(permalinks.count > 60)
        for permalink in permalinks {
            #expect(navigation.html(for: permalink) == BuiltInTemplates.navigation(navigation.items(for: permalink, current: permalink)), "\(permalink)")
        }
        // Tag, owner and revision pages (file URLs, one folder up from a folder page) list the processes too.
        #expect(navigation.html(for: "/tags/billing/").contains("<a href=\"../../long/\">Long &amp; &lt;wide&gt;</a>"))
        #expect(navigation.html(for: "/owners/dana/").contains("<a href=\"../../short/\">Short</a>"))
        #expect(navigation.html(for: "/sop/l-1/rev/2.html").contains("<a href=\"../../../long/\">"))
        #expect(navigation.html(for: "/a.html").contains("<a href=\"long/\">") && navigation.html(for: "/").contains("<a href=\"long/\">"))
        // The cut around the current page, and the current marks, are really there.
        let last = try #require(site.pages.first { $0.document.id == "L-\(NavigationCache.limit + 6)" })
        let html = navigation.html(for: last.permalink)
        #expect(html.contains("aria-current=\"page\">Page \(NavigationCache.limit + 6)<") && !html.contains(">Page 0<") && html.contains("A &lt;b&gt;") == false)
        // A process page marks its own link, and only there.
        let long = try #require(site.processes.first { $0.key == "long" })
        #expect(navigation.html(for: long.permalink).contains("<a href=\"../long/\" aria-current=\"page\">Long &amp; &lt;wide&gt;</a>"))
        #expect(!html.contains("aria-current=\"page\">Long"))
    }

    @Test("the revision page in Swift is Mustache's, byte for byte", arguments: [true, false])
    func revision(isCurrent: Bool) throws {
        let diff = RevisionDiff(TextDiff(old: "a\nb <c>\nd", new: "a\nb <e>\nd\nf"))
        for hasDiff in [true, false] {
            let view = RevisionView(id: "SOP-1", title: "Refund & return", revision: "Rev 2", day: "1 May 2025", dayISO: "2025-05-01",
                                    author: "Dana \"D\"", subject: "Fix <typo>", shortID: "abc1234", isCurrent: isCurrent,
                                    currentRevision: "Rev 3", currentURL: "../../", html: "<p>x</p>", diffLines: hasDiff ? diff : nil,
                                    diffHTML: hasDiff ? diff.html : "", hasDiff: hasDiff, previousRevision: hasDiff ? "Rev 1" : "",
                                    added: diff.added, removed: diff.removed)
            #expect(BuiltInTemplates.revision(view) == (try mustache("layouts/revision", view)))
            let empty = RevisionView(id: "", title: "", revision: "", day: "", dayISO: "", author: "", subject: "", shortID: "",
                                     isCurrent: isCurrent, currentRevision: "", currentURL: "", html: "", diffLines: nil, diffHTML: "",
                                     hasDiff: hasDiff, previousRevision: "", added: 0, removed: 0)
            #expect(BuiltInTemplates.revision(empty) == (try mustache("layouts/revision", empty)))
        }
    }

    /// SOP pages of a site with every kind of SOP: superseded with successors, a work instruction and its procedure,
    /// reviews without an edit, tags, owners, a criticality and an effective date, uncommitted and never committed
    /// SOPs, headings for the table of contents, and markup characters in every text.
    static func fixtureSite() throws -> Site {
        let repo = try GitFixture()
        let nasty = "<b>Refund & 'return' \\\"now\\\"</b>"
        try repo.commit("Add support", by: .alice, at: "2024-01-01T09:00:00+00:00", write: [
            "content/support/_process.md": "---\ntitle: Support & <care>\nowner: alice\n---\nFrom ticket to answer.\n",
            "content/support/refund.md": "---\nid: SOP-1\ntitle: \"\(nasty)\"\nprocess: support\nowner: alice\ntags: [billing, \"a&b\"]\n"
                + "criticality: high\neffective_date: 2024-01-02\nscope: All <refunds>.\n---\n# Refund\n\n## Steps\n\n1. Check.\n2. Pay.\n\n### Detail\n\nText.\n",
            "content/support/old.md": "---\nid: SOP-0\ntitle: Old refund\nprocess: support\n---\n# Old\n\nOld text.\n",
            "content/support/detail.md": "---\nid: WI-1\ntitle: Check an order\ntype: work-instruction\nparent: SOP-1\nprocess: support\n---\n# Check\n\n1. Look.\n",
            "content/owners.yml": "alice:\n  name: Alice <A>\n  team: Care & co\n  email: alice@example.test\n",
        ])
        try repo.commit("Supersede old; tidy", by: .bob, at: "2024-02-01T09:00:00+05:45", write: [
            "content/support/refund.md": "---\nid: SOP-1\ntitle: \"\(nasty)\"\nprocess: support\nowner: alice\ntags: [billing, \"a&b\"]\n"
                + "criticality: high\neffective_date: 2024-01-02\nscope: All <refunds>.\nsupersedes: [SOP-0]\n---\n# Refund\n\n## Steps\n\n1. Check.\n2. Pay.\n\n### Detail\n\nText.\n",
        ])
        try repo.commit("Review <it>\n\nAll \"fine\".\n\nReviewed: SOP-1", by: .carol, at: "2024-03-01T09:00:00-03:30", write: [:])
        let history = try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content"))).value
        var files: [SourceFile] = []
        for path in try FileManager.default.subpathsOfDirectory(atPath: repo.path + "/content").sorted() where path.hasSuffix(".md") {
            files.append(SourceFile(path: RepoPath("content/" + path), bytes: Array(try String(contentsOfFile: repo.path + "/content/" + path, encoding: .utf8).utf8)))
        }
        files.append(SourceFile(path: RepoPath("content/support/new.md"), bytes: Array("---\nid: SOP-2\ntitle: New\nprocess: support\n---\nNot committed.\n".utf8)))
        let documents = DocumentLoader(contentRoot: RepoPath("content")).load(files)
        var options = Site.Options()
        options.owners = Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array(try String(contentsOfFile: repo.path + "/content/owners.yml", encoding: .utf8).utf8))).value
        options.uncommitted = [RepoPath("content/support/detail.md")]
        return Site.assemble(documents: documents.value, history: history, config: SiteConfig(), now: Day(2025, 6, 1), options: options).value
    }

    static func sopViews() throws -> [SOPView] {
        let site = try fixtureSite()
        let renderer = SiteRenderer(theme: .builtIn)
        var views = site.pages.map { renderer.sopView($0, rendered: renderer.renderBody($0.document, permalink: $0.permalink, site: site).value, site: site) }
        var shallow = views[0]
        shallow.historyUnknown = true
        views.append(shallow)
        // Every text empty, every list empty: Mustache then looks names up in the page (a row's revision, a count).
        let none = PersonDate(day: "", dayISO: "", instant: "", author: "", shortID: "", commitID: "", subject: "")
        views.append(SOPView(root: "", id: "", title: "", kind: "", processTitle: "", processURL: "", hasProcess: false, scope: "", owner: "",
                             hasOwner: true, ownerTeam: "", criticality: "", tags: [], html: "", toc: [TOCEntry(text: "", anchor: "", level: 0)], hasTOC: true,
                             isCommitted: true, hasUncommittedChanges: false, revision: 7, commits: 9, created: none, lastChange: none,
                             lastRevision: none, lastReview: ReviewView(day: "", dayISO: "", reviewer: "", shortID: "", evidence: "", note: ""),
                             contributors: [ContributorRow(name: "", commits: "")], badge: BadgeView(state: "", label: "", due: "", dueText: "", dueISO: ""),
                             interval: "", intervalSource: "", nextDue: "", nextDueISO: "", status: "", banner: "x", successors: [LinkView(text: "", url: "")],
                             effectiveDate: "", history: [HistoryRow(revision: "", day: "", dayISO: "", author: "", subject: "", shortID: "", effect: "",
                                                                     isRevision: false, url: "")],
                             reviews: [ReviewView(day: "", dayISO: "", reviewer: "", shortID: "", evidence: "", note: "")], sourcePath: "",
                             hasSuccessors: true, hasReviews: true, lastChangedAgo: "", printedOn: "", previous: LinkView(text: "", url: ""),
                             next: nil, parentLink: LinkView(text: "", url: ""), instructions: [LinkView(text: "", url: "")], tagLinks: [], ownerURL: ""))
        return views
    }

    @Test("the SOP page in Swift is Mustache's, byte for byte, for every kind of SOP and for empty values")
    func sop() throws {
        let views = try Self.sopViews()
        let real = views.dropLast()
        #expect(real.contains { !$0.banner.isEmpty && !$0.successors.isEmpty })
        #expect(real.contains { $0.parentLink != nil } && real.contains { !$0.instructions.isEmpty })
        #expect(real.contains { $0.hasReviews })
        #expect(real.contains { !$0.isCommitted } && real.contains { $0.hasUncommittedChanges })
        #expect(real.contains { !$0.tagLinks.isEmpty } && real.contains { $0.hasTOC })
        // A front-matter-only change makes no revision: its row shows a dash, not the page's revision number.
        let refund = try #require(real.first { $0.id == "SOP-1" })
        #expect(refund.history.contains { !$0.isRevision })
        #expect(BuiltInTemplates.sop(refund).contains("<tr class=\"muted\"><td>—</td>"))
        #expect(!BuiltInTemplates.sop(refund).contains("<tr class=\"muted\"><td>\(refund.revision)</td>"))
        for view in views {
            let swift = BuiltInTemplates.sop(view), template = try mustache("layouts/sop", view)
            #expect(swift == template, "\(view.id): first difference at \(zip(swift, template).prefix { $0 == $1 }.count)")
        }
    }

    /// Every text empty: Mustache then looks a name up in the enclosing contexts (a row's title in its process card).
    static let emptyBadge = BadgeView(state: "", label: "", due: "", dueText: "", dueISO: "")
    static let emptyRow = PageRow(id: "", title: "", url: "", kind: "", owner: "", badge: emptyBadge, lastChange: "", isObsolete: false, status: "",
                                  ownerURL: "")
    static let nastyRow = PageRow(id: "<id>", title: "A & \"b\"", url: "../x'y/", kind: "Work <instruction>", owner: "O'Neil & co", badge:
                                    BadgeView(state: "<s>", label: "L&", due: "2025-01-01", dueText: "\"due\"", dueISO: "2025"),
                                  lastChange: "1 May", isObsolete: true, status: "Retired", ownerURL: "../o/")

    @Test("the list, home, search and dashboard pages in Swift are Mustache's, byte for byte, for a real site and for empty values")
    func listingPages() throws {
        let site = try Self.fixtureSite()
        let renderer = SiteRenderer(theme: .builtIn)
        let builtIn = BuiltInTemplates(theme: .builtIn)
        #expect(builtIn.list && builtIn.home && builtIn.search && builtIn.dashboard)
        func same(_ template: String, _ view: Any, _ label: String) throws {
            let swift = try #require(builtIn.render(template, view)), reference = try mustache(template, view)
            #expect(swift == reference, "\(template) \(label): first difference at \(zip(swift, reference).prefix { $0 == $1 }.count)")
        }
        let rows = site.pages.map { renderer.row($0, from: "/tags/x/") }
        for (label, view) in [
            ("real", ListPageView(eyebrow: "Tag", title: "Billing & <co>", lead: "2 SOPs", pages: rows, links: [])),
            ("links", ListPageView(eyebrow: "Index", title: "Tags", lead: "", pages: [], links: [LinkView(text: "a&b (2)", url: "a-b/"), LinkView(text: "", url: "")])),
            ("nasty", ListPageView(eyebrow: "<e>", title: "T\"", lead: "'l'", pages: [Self.nastyRow, Self.emptyRow], links: [LinkView(text: "x", url: "y")])),
            ("empty", ListPageView(eyebrow: "", title: "", lead: "", pages: [Self.emptyRow], links: [])),
        ] { try same("layouts/list", view, label) }

        let home = renderer.homeView(site)
        #expect(!home.processes.isEmpty)
        try same("layouts/home", home, "real")
        let card = ProcessCard(title: "P & <q>", url: "p/", outcome: "", pages: [Self.emptyRow, Self.nastyRow], count: "")
        try same("layouts/home", HomeView(siteTitle: "", processes: [card, ProcessCard(title: "", url: "", outcome: "o", pages: [], count: "3")],
                                          unassigned: [Self.emptyRow, Self.nastyRow], hasUnassigned: true, summary: "", overdue: 0, dueSoon: 2, asOf: ""), "empty")

        try same("layouts/search", renderer.searchPageListing(site), "real")
        // A procedure has no kind label: its row shows none (an empty string was a value to Mustache, and every
        // procedure's row had an empty kind label).
        #expect(!(try mustache("layouts/search", renderer.searchPageListing(site))).contains("<span class=\"kind\"></span>"))
        try same("layouts/search", SearchPageListing(pages: [SearchPageRow(id: "", title: "", url: "", kind: "", process: "", owner: "", badge: Self.emptyBadge),
                                                             SearchPageRow(id: "<a>", title: "&", url: "'", kind: "k", process: "p", owner: "o",
                                                                           badge: Self.nastyRow.badge)], summary: ""), "empty")

        let dashboard = renderer.dashboardView(site)
        #expect(dashboard.groups.contains { $0.rows.contains { !$0.lastReviewISO.isEmpty } })
        try same("layouts/dashboard", dashboard, "real")
        let emptyRow = DashboardRow(id: "", title: "", url: "", process: "", processKey: "", ownerKey: "", badge: Self.emptyBadge, lastReview: "",
                                    lastReviewISO: "", reviewer: "", evidence: "", shortID: "", nextDue: "", nextDueISO: "", days: "")
        let fullRow = DashboardRow(id: "<i>", title: "t&", url: "u'", process: "p\"", processKey: "k", ownerKey: "o", badge: Self.nastyRow.badge,
                                   lastReview: "1 May", lastReviewISO: "2025-05-01", reviewer: "R <r>", evidence: "e", shortID: "abc",
                                   nextDue: "2 May", nextDueISO: "2025-05-02", days: "3 days")
        let partial = DashboardRow(id: "i", title: "t", url: "u", process: "", processKey: "", ownerKey: "", badge: Self.emptyBadge, lastReview: "x",
                                   lastReviewISO: "2025-05-01", reviewer: "", evidence: "", shortID: "", nextDue: "", nextDueISO: "", days: "")
        try same("layouts/dashboard", DashboardView(asOf: "", overdue: 1, dueSoon: 0, neverReviewed: 2, noOwner: 3, current: 4, total: 5,
                                                    groups: [DashboardGroup(feedURL: "", owner: "", ownerKey: "g<k>", team: "", summary: "", rows: [emptyRow, fullRow, partial]),
                                                             DashboardGroup(feedURL: "f.ics", owner: "O", ownerKey: "", team: "T", summary: "s", rows: [])],
                                                    processes: [FilterOption(value: "", label: ""), FilterOption(value: "a&", label: "<b>")], owners: []), "empty")
    }
}
