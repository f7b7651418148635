import Documents
import History
import SiteModel
import SOPCore
import Testing

/// Inputs the fuzz targets in Fuzz/ found (README, "Fuzzing"), minimised; each test names the target and the cause.
@Suite struct FuzzRegressionTests {
    func assemble(_ files: [String: String]) -> Diagnosed<Site> {
        let loaded = DocumentLoader(contentRoot: RepoPath("content")).load(files.map { SourceFile(path: RepoPath($0.key), bytes: Array($0.value.utf8)) })
        #expect(loaded.diagnostics.isEmpty)
        return Site.assemble(documents: loaded.value, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                             config: SiteConfig(), now: Day(2025, 1, 1))
    }

    @Test("a process or SOP at an address the site's own pages use is an error, not a page that overwrites another",
          arguments: ["reviews", "search", "tags", "owners", "recent", "Reviews"])
    func reservedFolders(_ folder: String) throws {
        // fuzz-site (output written twice), minimised to `type: process` + `process: tags`: the process page
        // /tags/ and the tag index were both written to tags/index.html, one lost. A real folder named reviews/
        // (performance reviews) overwrote the review dashboard.
        let site = assemble([
            "content/\(folder)/_process.md": "---\ntitle: Staff \(folder)\n---\nWhy.\n",
            "content/\(folder)/annual.md": "---\nid: SOP-1\n---\n# Annual\n",
            "content/ops/x.md": "---\nid: SOP-2\ntype: process\nprocess: \(folder)\n---\nWhy.\n",
            "content/ops/fine.md": "---\nid: SOP-3\n---\n# Fine\n",
        ])
        #expect(Set(site.diagnostics.map { "\($0.location) \($0.code)" }) == [
            "content/\(folder)/_process.md:1 document.reserved-url", "content/\(folder)/annual.md:1 document.reserved-url",
            "content/ops/x.md:4 document.reserved-url",
        ])
        #expect(site.value.pages.map(\.document.id) == ["SOP-3"])
        #expect(site.value.processes.map(\.permalink) == ["/ops/"])
    }

    @Test("ids that differ only in case or punctuation are an error: they share one address for revision pages",
          arguments: [("OPS-1", "ops-1"), ("SOP 1", "SOP-1"), ("ops/plain", "ops-plain")])
    func idsSharingAnAddress(first: String, second: String) throws {
        // Found by a fresh user's trial: `OPS-1` and `ops-1` both published /sop/ops-1/rev/1.html, one SOP's Rev 1
        // replacing the other's.
        let site = assemble([
            "content/a/one.md": "---\nid: \(first)\ntitle: One\n---\nOne.\n",
            "content/b/two.md": "---\nid: \(second)\ntitle: Two\n---\nTwo.\n",
        ])
        let problems = site.diagnostics.filter { $0.code == "document.duplicate-id" }
        #expect(problems.count == 1 && problems.first?.severity == .error, "\(site.diagnostics)")
        #expect(site.value.pages.count == 1)
    }
}
