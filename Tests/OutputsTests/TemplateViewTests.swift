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

    /// Fields whose `child(named:)` answer is not the stored value (missing, or another value with the same name).
    func unanswered(_ view: some TemplateView) -> [String] {
        Mirror(reflecting: view).children.compactMap { child -> String? in
            guard let label = child.label else { return nil }
            let answer = view.child(named: label)
            // An empty text is answered as absent, so that a template section over it shows nothing.
            if let text = child.value as? String, text.isEmpty { return answer == nil ? nil : label }
            return describe(answer as Any) == describe(child.value) ? nil : label
        }
    }

    /// A value's description with optionals unwrapped, so `Optional(x)` and `x` compare equal.
    func describe(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { describe($0.value) } ?? "nil"
        }
        return String(describing: value)
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
        #expect(unanswered(LayoutView(siteTitle: "t", pageTitle: "p", root: "./", content: "c", navigation: [], description: "d", isHome: true, scripts: ["x.js"])).isEmpty)
        #expect(unanswered(PersonDate(day: "d", dayISO: "i", instant: "n", author: "a", shortID: "s", commitID: "c", subject: "s")).isEmpty)
        #expect(unanswered(HistoryRow(revision: "Rev 1", day: "d", dayISO: "i", author: "a", subject: "s", shortID: "s", effect: "e", isRevision: true, url: "../u/")).isEmpty)
        #expect(unanswered(ContributorRow(name: "Alice Adams", commits: "c")).isEmpty)
    }

    @Test("counts read as English: one SOP in one process; a last change after the build's day is not \"today\"")
    func wording() throws {
        #expect(SiteRenderer(theme: .builtIn).homeView(try site()).summary == "1 SOP in 1 process")
        let now = Day(2026, 5, 1)
        #expect(SiteRenderer.ago(Day(2026, 5, 2), now: now) == "after this site's date")
        #expect(SiteRenderer.ago(now, now: now) == "today")
        #expect(SiteRenderer.ago(Day(2026, 4, 30), now: now) == "yesterday")
        #expect(SiteRenderer.ago(Day(2025, 4, 30), now: now) == "1 year ago")
    }

    @Test("the built-in theme is the theme folder (make theme was run)")
    func builtInThemeMatchesFolder() throws {
        let folder = try Theme.load(from: #filePath.components(separatedBy: "/Tests/")[0] + "/theme")
        let builtIn = Theme.builtIn
        let staleTemplates = Set(folder.templates.keys).union(builtIn.templates.keys).filter { folder.templates[$0] != builtIn.templates[$0] }
        let staleAssets = Set(folder.assets.keys).union(builtIn.assets.keys).filter { folder.assets[$0] != builtIn.assets[$0] }
        #expect(staleTemplates.isEmpty && staleAssets.isEmpty, "run `make theme`: \((staleTemplates.sorted() + staleAssets.sorted()).joined(separator: ", ")) differ")
    }
}
