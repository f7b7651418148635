import Documents
import Foundation
import History
@testable import Outputs
import SiteModel
import SOPCore
import Testing
import TestSupport

/// `api/pages.json` is written by hand for speed; it must be exactly what JSONEncoder (through `JSONOutput`) writes.
@Suite struct PagesAPIJSONTests {
    @Test("hand-written api/pages.json equals JSONEncoder's: reviews of every kind, renames, nulls, escapes, uncommitted and new SOPs")
    func sameAsEncoder() throws {
        let repo = try GitFixture()
        let nasty = "Quote \\\" </script> & café \u{2028} ☕"
        try repo.commit("Add \(nasty)", by: .alice, at: "2024-01-01T09:00:00+00:00", write: [
            "content/support/_process.md": "---\ntitle: Support\nowner: alice\n---\nFrom ticket to answer.\n",
            "content/support/refund.md": "---\nid: SOP-1\ntitle: \"Refund \\\"now\\\" <b>\"\nprocess: support\nowner: alice\n---\n# Refund\n\n1. One.\n",
            "content/support/old.md": "---\nid: SOP-0\ntitle: Old refund\nprocess: support\n---\n# Old\n\nOld text.\n",
            "content/loose.md": "---\nid: SOP-9\ntitle: Loose\nlast_reviewed: 2024-02-01\n---\n# Loose\n\nNo process, no owner.\n",
        ])
        try repo.commit("Move refund", by: .bob, at: "2024-02-01T09:00:00+05:45", move: [(from: "content/support/refund.md", to: "content/support/refunds.md")])
        try repo.commit("Two steps", by: .carol, at: "2024-03-01T09:00:00-03:30",
                        write: ["content/support/refunds.md": "---\nid: SOP-1\ntitle: \"Refund \\\"now\\\" <b>\"\nprocess: support\nowner: alice\nsupersedes: [SOP-0]\n---\n# Refund\n\n1. One.\n2. Two.\n"])
        try repo.commit("Review\n\nEvery step checked; \"fine\".\n\nReviewed: SOP-1", by: .carol, at: "2024-03-15T09:00:00-03:30", write: [:])
        try repo.commit("Edit old", by: .dave, at: "2024-04-01T09:00:00+00:00",
                        write: ["content/support/old.md": "---\nid: SOP-0\ntitle: Old refund\nprocess: support\n---\n# Old\n\nOld text, edited.\n"])
        let history = try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content"))).value
        var files = try FileManager.default.subpathsOfDirectory(atPath: repo.path + "/content").filter { $0.hasSuffix(".md") }
            .map { SourceFile(path: RepoPath("content/" + $0), bytes: Array(try String(contentsOfFile: repo.path + "/content/" + $0, encoding: .utf8).utf8)) }
        files.append(SourceFile(path: RepoPath("content/support/new.md"), bytes: Array("---\nid: SOP-2\ntitle: New\nprocess: support\n---\n# New\n\nNot committed.\n".utf8)))
        let documents = DocumentLoader(contentRoot: RepoPath("content")).load(files.sorted { $0.path < $1.path })
        var options = Site.Options()
        options.uncommitted = [RepoPath("content/support/old.md")]
        let site = Site.assemble(documents: documents.value, history: history, config: SiteConfig(), now: Day(2025, 6, 1), options: options).value
        let entries = PagesAPI.entries(site)
        #expect(entries.count == 4)
        #expect(entries.contains { $0.lastReview?.kind == "trailer" && $0.lastReview?.note != nil })
        #expect(entries.contains { $0.lastReview?.kind == "front-matter" && $0.lastReview?.commit == nil })
        #expect(entries.contains { $0.created == nil } && entries.contains { $0.uncommitted } && entries.contains { !$0.supersededBy.isEmpty })
        #expect(entries.contains { $0.history.contains { $0.renamedFrom != nil } } && entries.contains { $0.process == nil && $0.owner == nil })
        let handWritten = PagesAPI.json(entries), encoded = JSONOutput.encode(entries)
        #expect(String(decoding: handWritten, as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
        #expect(PagesAPI.json([]) == JSONOutput.encode([PagesAPI.Entry]()))

        // review.json likewise, for the same site (nulls where nothing was reviewed or no owner) and for hostile text.
        let reviews = ReviewOutputs.entries(site)
        // SOPs in force only: SOP-0, superseded by SOP-1, is due no review (the dashboard and calendars leave it out too).
        #expect(reviews.count == 3 && !reviews.contains { $0.id == "SOP-0" })
        #expect(reviews.contains { $0.owner == nil && $0.commit == nil } && reviews.contains { $0.daysUntilDue != nil })
        #expect(String(decoding: ReviewOutputs.json(site), as: UTF8.self)
                == String(decoding: JSONOutput.encode(ReviewOutputs.File(version: 1, asOf: site.now.iso, sops: reviews)), as: UTF8.self))
        let hostile = ReviewOutputs.Entry(id: nasty, title: "\u{0}\t\n\u{1F}\u{7F}</script>", url: "a/b/", owner: "o\\", ownerName: nil, state: "s",
                                          lastReview: nil, lastReviewer: "\u{2029}", evidence: nil, commit: nil, nextDue: nil, daysUntilDue: -12,
                                          interval: "1 year", intervalReason: "&")
        #expect(ReviewOutputs.json(asOf: "2025-06-01", [hostile]) == JSONOutput.encode(ReviewOutputs.File(version: 1, asOf: "2025-06-01", sops: [hostile])))
        #expect(ReviewOutputs.json(asOf: "x", []) == JSONOutput.encode(ReviewOutputs.File(version: 1, asOf: "x", sops: [])))
    }
}
