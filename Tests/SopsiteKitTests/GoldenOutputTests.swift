import Foundation
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// The review outputs of a fixture repository at a fixed --now, byte for byte (`SOPSITE_RECORD_GOLDEN=1` re-records).
@Suite struct GoldenOutputTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    func site() async throws -> (TemporaryDirectory, String) {
        let repo = try GitFixture()
        try repo.commit("Add support SOPs", by: .alice, at: "2025-01-10T09:00:00+01:00", write: [
            "content/owners.yml": "dana:\n  name: Dana Whitfield\n  email: dana@example.test\n  team: Support\n",
            "content/support/_process.md": "---\ntitle: Customer support\nowner: dana\n---\nWhy.\n",
            "content/support/refund.md": "---\nid: SOP-CS-001\ntitle: \"Refunds, returns & \\\"goodwill\\\"\"\ncriticality: high\n---\n1. Check.\n",
            "content/support/escalate.md": "---\nid: SOP-CS-002\ntitle: Escalate a complaint\nreview_interval: 1 year\n---\n1. Call.\n",
            "content/support/old.md": "---\nid: SOP-CS-000\ntitle: Old way\nowner: nobody\nlast_reviewed: 2024-01-01\n---\nOld.\n",
        ])
        try repo.commit("Review refunds\n\nReviewed: SOP-CS-001\nReviewed-by: Carol Chen <carol@example.test>", by: .bob,
                        at: "2025-03-01T10:00:00-05:00", write: ["content/support/notes.txt": "x\n"])
        let out = try TemporaryDirectory(prefix: "sopsite-golden")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, output: out.path + "/site", now: .day(Day(2025, 5, 20))))
        #expect(report.succeeded, "\(report.diagnostics)")
        return (out, out.path + "/site")
    }

    @Test("review.json, register.csv, an owner's iCalendar feed and the dashboard match their golden files")
    func reviewOutputs() async throws {
        let (folder, site) = try await site()
        _ = folder
        for (file, golden) in [("review.json", "review.json"), ("register.csv", "register.csv"), ("reviews/dana.ics", "dana.ics"),
                               ("reviews/index.html", "dashboard.html")] {
            let bytes = try #require(FileManager.default.contents(atPath: site + "/" + file), "\(file) missing")
            if let problem = Golden.check(Array(bytes), against: golden, folder: Self.folder) { Issue.record(Comment(rawValue: problem)) }
        }
    }
}
