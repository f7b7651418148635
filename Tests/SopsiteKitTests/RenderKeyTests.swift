import Foundation
import Documents
import History
@testable import Outputs
import SiteModel
import SOPCore
import Testing
import TestSupport

/// The render cache's key lists every stored property of what an SOP page is rendered from by hand (for speed); this
/// checks the list against the types themselves, so a property added later cannot be left out of the key.
@Suite struct RenderKeyTests {
    func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }

    @Test("the key covers every stored property of an SOP page, its document, history, review and owner")
    func keyCoversEveryProperty() throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-06T09:00:00+01:00", write: [
            "content/refund.md": "---\nid: SOP-1\ntitle: Refund\nowner: alice\n---\n1. Refund.\n",
            "content/owners.yml": "alice:\n  name: Alice\n",
        ])
        try repo.commit("Review\n\nReviewed: SOP-1", by: .bob, at: "2025-02-06T09:00:00+01:00", write: [:])
        let history = try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content"))).value
        let documents = DocumentLoader(contentRoot: RepoPath("content"))
            .load([SourceFile(path: RepoPath("content/refund.md"), bytes: Array("---\nid: SOP-1\ntitle: Refund\nowner: alice\n---\n1. Refund.\n".utf8))])
        var options = Site.Options()
        options.owners = Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array("alice:\n  name: Alice\n".utf8))).value
        let site = Site.assemble(documents: documents.value, history: history, config: SiteConfig(), now: Day(2025, 6, 1), options: options).value
        let sop = try #require(site.pages.first)
        let change = try #require(sop.history.first)
        let review = try #require(sop.reviews.first)
        let contributor = try #require(sop.contributors.first)
        let owner = try #require(sop.owner)
        let covered = RenderKey.covered
        #expect(labels(sop) == covered["SOPPage"])
        #expect(labels(sop.document) == covered["Document"])
        #expect(labels(change) == covered["ChangeFacts"])
        #expect(labels(contributor) == covered["ContributorFacts"])
        #expect(labels(sop.review) == covered["ReviewStatus"])
        #expect(labels(review) == covered["ReviewEvidence"])
        #expect(labels(owner) == covered["Owner"])
        #expect(labels(sop.review.interval) == covered["ReviewInterval"])
        #expect(labels(change.instant) == covered["Instant"])

        // And the key moves with what is shown: another `now` (a review state), another body.
        let key = RenderKey(site: site, theme: .builtIn, allowRawHTML: false, revisions: true)
        let later = Site.assemble(documents: documents.value, history: history, config: SiteConfig(), now: Day(2026, 6, 1), options: options).value
        func sopKey(_ key: RenderKey, _ sop: SOPPage) -> String { key.key(for: sop, metadata: key.metadata(of: sop)) }
        #expect(sopKey(key, sop) == sopKey(key, sop))
        #expect(sopKey(RenderKey(site: later, theme: .builtIn, allowRawHTML: false, revisions: true), later.pages[0]) != sopKey(key, sop))
        #expect(sopKey(RenderKey(site: site, theme: .builtIn, allowRawHTML: true, revisions: true), sop) != sopKey(key, sop))
    }

    /// Records the site group's files and key as the renderer keeps them.
    final class SiteGroupCapture: RenderCache, @unchecked Sendable {
        // @unchecked: both are only touched under `lock`.
        let lock = NSLock()
        var key = ""
        var apiKey = ""
        var files: [String: [UInt8]] = [:]

        func reuse(key: String) -> (pages: RenderedPages, files: [OutputFile])? { nil }
        func keep(key: String, _ rendered: RenderedPages, files: [OutputFile]) {
            guard key.hasPrefix(RenderKey.sitePrefix) else { return }
            if key.hasPrefix(RenderKey.sitePrefix + "api-") { return lock.withLock { apiKey = key } }
            lock.withLock {
                self.key = key
                self.files = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.bytes) })
            }
        }
    }

    @Test("the site's own pages do not read SOP bodies or uncommitted flags: those keep their key and bytes; another title changes both")
    func siteGroupIgnoresBodies() async throws {
        let repo = try GitFixture()
        let process = "---\ntitle: Customer support\nowner: alice\n---\nFrom ticket to answer.\n"
        func refund(_ body: String, title: String = "Process a refund") -> String {
            "---\nid: SOP-CS-001\ntitle: \(title)\nprocess: support\nowner: alice\ntags: [billing]\nscope: All refunds.\n---\n# \(title)\n\n\(body)"
        }
        let steps = "## Steps\n\n1. Check the order in [the shop](../support/other.md).\n2. Refund it.\n"
        let other = "---\nid: SOP-CS-002\ntitle: Answer a ticket\nprocess: support\nowner: bob\n---\nAnswer within a day.\n"
        try repo.commit("Add support", by: .alice, at: "2025-01-06T09:00:00+01:00", write: [
            "content/support/_process.md": process, "content/support/refund.md": refund(steps), "content/support/other.md": other,
        ])
        try repo.commit("Reword refund", by: .bob, at: "2025-03-06T09:00:00-05:00", write: ["content/support/refund.md": refund(steps + "3. Close it.\n")])
        let history = try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content"))).value
        func render(refundText: String, uncommitted: Bool = false) async throws -> SiteGroupCapture {
            let files = ["content/support/_process.md": process, "content/support/refund.md": refundText, "content/support/other.md": other]
            let documents = DocumentLoader(contentRoot: RepoPath("content"))
                .load(files.sorted { $0.key < $1.key }.map { SourceFile(path: RepoPath($0.key), bytes: Array($0.value.utf8)) })
            var options = Site.Options()
            if uncommitted { options.uncommitted = [RepoPath("content/support/refund.md")] }
            let site = Site.assemble(documents: documents.value, history: history, config: SiteConfig(), now: Day(2025, 6, 1),
                                     options: options).value
            let capture = SiteGroupCapture()
            _ = try await SiteRenderer(theme: .builtIn).render(site, cache: capture)
            return capture
        }
        let committed = try await render(refundText: refund(steps + "3. Close it.\n"))
        let otherBody = try await render(refundText: refund("## Other words\n\nNothing alike: *emphasis*, `code`, a [link](https://example.test/).\n\n"
                                                            + "1. Another step.\n"))
        let edited = try await render(refundText: refund(steps + "3. Close it and say so.\n"), uncommitted: true)
        let otherTitle = try await render(refundText: refund(steps, title: "Refund an order"))
        #expect(committed.files.keys.contains("index.html") && committed.files.keys.contains("support/index.html")
                && committed.files.keys.contains("reviews/index.html") && committed.files.keys.contains("review.json"))
        #expect(!committed.files.keys.contains { $0.hasSuffix(".js") || $0.contains("/rev/") || $0.contains("refund") || $0.hasPrefix("api/") })
        #expect(otherBody.key == committed.key)
        #expect(otherBody.files == committed.files)
        #expect(edited.key == committed.key, "an uncommitted edit leaves the site's own pages as they are")
        #expect(edited.files == committed.files)
        // api/pages.json shows the flag: its key moves with it, and only with it.
        #expect(otherBody.apiKey == committed.apiKey && !committed.apiKey.isEmpty)
        #expect(edited.apiKey != committed.apiKey)
        #expect(otherTitle.key != committed.key)
        #expect(otherTitle.files["index.html"] != committed.files["index.html"] || otherTitle.files["support/index.html"] != committed.files["support/index.html"])
    }
}
