import Documents
import History
@testable import Outputs
import SiteModel
import SOPCore
import Testing

/// Views answer templates through `child(named:)` (no reflection); a stored property missing from it would render as
/// empty without any error, so check every one against `Mirror`.
@Suite struct TemplateViewTests {
    func site() throws -> Site {
        let loader = DocumentLoader(contentRoot: RepoPath("content"))
        let documents = loader.load([
            SourceFile(path: RepoPath("content/a/_process.md"), bytes: Array("---\ntitle: A\nstart: s\nend: e\noutcome: o\nstakeholders: [x]\n---\nWhy.\n".utf8)),
            SourceFile(path: RepoPath("content/a/one.md"), bytes: Array("---\nid: SOP-1\nowner: dana\nscope: s\ntags: [t]\n---\n## Steps\n\n1. Do.\n".utf8)),
        ]).value
        return Site.assemble(documents: documents, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                             config: SiteConfig(), now: Day(2025, 1, 1)).value
    }

    func unanswered(_ view: some TemplateView) -> [String] {
        Mirror(reflecting: view).children.compactMap(\.label).filter { view.child(named: $0) == nil && !isNilOptional(view, $0) }
    }

    func isNilOptional(_ view: Any, _ label: String) -> Bool {
        guard let value = Mirror(reflecting: view).children.first(where: { $0.label == label })?.value else { return false }
        let mirror = Mirror(reflecting: value)
        return mirror.displayStyle == .optional && mirror.children.isEmpty
    }

    @Test("every stored property of every view is answered by name")
    func viewsAnswerEveryField() async throws {
        let site = try site()
        let renderer = SiteRenderer(theme: .builtIn)
        let sop = try #require(site.pages.first)
        let rendered = renderer.renderBody(sop.document, permalink: sop.permalink, site: site).value
        let sopView = renderer.sopView(sop, rendered: rendered, site: site)
        let home = renderer.homeView(site)
        let process = renderer.processView(try #require(site.processes.first), html: "", site: site)
        let navigation = NavigationCache(site: site).items(for: sop.permalink, current: sop.permalink)
        #expect(unanswered(sopView).isEmpty)
        #expect(unanswered(home).isEmpty)
        #expect(unanswered(process).isEmpty)
        #expect(unanswered(try #require(home.processes.first)).isEmpty)
        #expect(unanswered(try #require(home.processes.first?.pages.first)).isEmpty)
        #expect(unanswered(sopView.badge).isEmpty)
        #expect(unanswered(try #require(sopView.toc.first)).isEmpty)
        #expect(unanswered(try #require(navigation.first)).isEmpty)
        #expect(unanswered(LayoutView(siteTitle: "t", pageTitle: "p", root: "./", content: "c", navigation: [], description: "d", isHome: true)).isEmpty)
        #expect(unanswered(SearchPageView(pages: [])).isEmpty)
        #expect(unanswered(PersonDate(day: "d", dayISO: "i", instant: "n", author: "a", shortID: "s", commitID: "c", subject: "s")).isEmpty)
        #expect(unanswered(HistoryRow(revision: 1, day: "d", dayISO: "i", author: "a", subject: "s", shortID: "s", effect: "e")).isEmpty)
        #expect(unanswered(ContributorRow(name: "n", commits: "c")).isEmpty)
    }

    @Test("the built-in theme is the theme folder (make theme was run)")
    func builtInThemeMatchesFolder() throws {
        let folder = try Theme.load(from: #filePath.components(separatedBy: "/Tests/")[0] + "/theme")
        #expect(folder.templates == Theme.builtIn.templates)
        #expect(folder.assets == Theme.builtIn.assets)
    }
}
