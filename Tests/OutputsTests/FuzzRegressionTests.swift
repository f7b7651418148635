import Documents
import History
import Outputs
import SiteModel
import SOPCore
import Testing

/// Inputs the fuzz targets in Fuzz/ found (README, "Fuzzing"), minimised; each test names the target and the cause.
@Suite struct FuzzRegressionTests {
    @Test("owner handles that make the same page name share one owner page and one calendar, listing every SOP")
    func ownersWithOneSlug() async throws {
        // fuzz-site: `owner: dana&` beside `owner: dana` wrote owners/dana/index.html (and reviews/dana.ics) twice,
        // so one owner's SOPs were missing from the page their owner link points at.
        let loaded = DocumentLoader(contentRoot: RepoPath("content")).load([
            SourceFile(path: RepoPath("content/ops/a.md"), bytes: Array("---\nid: SOP-A\nowner: dana\nlast_reviewed: 2025-01-01\n---\n# A\n".utf8)),
            SourceFile(path: RepoPath("content/ops/b.md"), bytes: Array("---\nid: SOP-B\nowner: dana&\nlast_reviewed: 2025-01-01\n---\n# B\n".utf8)),
            SourceFile(path: RepoPath("content/ops/c.md"), bytes: Array("---\nid: SOP-C\nowner: Dana\nlast_reviewed: 2025-01-01\n---\n# C\n".utf8)),
        ])
        let site = Site.assemble(documents: loaded.value, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                                 config: SiteConfig(), now: Day(2025, 6, 1)).value
        let files = try await SiteRenderer(theme: .builtIn).render(site).value
        let paths = files.map(\.path)
        #expect(paths.count == Set(paths).count, "written twice: \(paths.filter { path in paths.count { $0 == path } > 1 })")
        let page = try #require(files.first { $0.path == "owners/dana/index.html" })
        let html = String(decoding: page.bytes, as: UTF8.self)
        #expect(["SOP-A", "SOP-B", "SOP-C"].allSatisfy { html.contains($0) })
        let calendar = try #require(files.first { $0.path == "reviews/dana.ics" })
        #expect(String(decoding: calendar.bytes, as: UTF8.self).components(separatedBy: "BEGIN:VEVENT").count == 4)
        let index = String(decoding: try #require(files.first { $0.path == "owners/index.html" }).bytes, as: UTF8.self)
        #expect(index.components(separatedBy: "href=\"dana/\"").count == 2)
    }
}
