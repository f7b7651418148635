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
        #expect(key.key(for: sop) == key.key(for: sop))
        #expect(RenderKey(site: later, theme: .builtIn, allowRawHTML: false, revisions: true).key(for: later.pages[0]) != key.key(for: sop))
        #expect(RenderKey(site: site, theme: .builtIn, allowRawHTML: true, revisions: true).key(for: sop) != key.key(for: sop))
    }
}
