import Foundation
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// Review evidence and lifecycle, end to end: what the reader sees and what api/pages.json says.
@Suite struct ReviewEvidenceTests {
    func build(_ repo: GitFixture, now: String, drafts: Bool = false) async throws -> (BuildReport, [String: [String: Any]], TemporaryDirectory) {
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: ".", output: out.path + "/site",
                                                          now: .day(try #require(Day(iso: now))), includeDrafts: drafts))
        var pages: [String: [String: Any]] = [:]
        if let data = FileManager.default.contents(atPath: out.path + "/site/api/pages.json"),
           let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            for page in list { pages[page["id"] as? String ?? ""] = page }
        }
        return (report, pages, out)
    }

    func review(_ page: [String: Any]?) -> [String: Any] { page?["review"] as? [String: Any] ?? [:] }
    func lastReview(_ page: [String: Any]?) -> [String: Any] { page?["last_review"] as? [String: Any] ?? [:] }

    @Test("B07: a hand-written review date counts until Git holds newer evidence")
    func fieldCaseB07() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .init("Alice", "alice@example.test"), at: "2021-12-01T10:00:00+00:00", write: [
            "key-rotation.md": "---\nid: key-rotation\ntitle: Rotate keys\nlast_reviewed_on: 2023-03-15\nreview_in: 6 months\n---\nRotate.\n",
            "dr-test.md": "---\nid: dr-test\ntitle: DR test\nlast_reviewed_on: 2022-01-10\nreview_in: 6 months\n---\nTest.\n",
        ])
        try repo.commit("dr: update", by: .init("Bob", "bob@example.test"), at: "2023-03-01T10:00:00+00:00", write: [
            "dr-test.md": "---\nid: dr-test\ntitle: DR test\nlast_reviewed_on: 2022-01-10\nreview_in: 6 months\n---\nTest the failover.\n",
        ])
        let (report, pages, _) = try await build(repo, now: "2023-04-01")
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(lastReview(pages["key-rotation"])["date"] as? String == "2023-03-15")
        #expect(lastReview(pages["key-rotation"])["kind"] as? String == "front-matter")
        #expect(review(pages["key-rotation"])["next_due"] as? String == "2023-09-15")
        #expect(review(pages["key-rotation"])["state"] as? String == "current")
        #expect(lastReview(pages["dr-test"])["date"] as? String == "2023-03-01T10:00:00+00:00")
        #expect(lastReview(pages["dr-test"])["author"] as? String == "Bob")
        #expect(review(pages["dr-test"])["next_due"] as? String == "2023-09-01")
        #expect(review(pages["dr-test"])["state"] as? String == "current")
    }

    @Test("a Reviewed: trailer resets the review clock without a new revision; an unknown id is a warning")
    func trailerReview() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2024-01-10T09:00:00+00:00",
                        write: ["refund.md": "---\nid: SOP-CS-001\ntitle: Refund\nowner: dana\nreview_interval: 6 months\n---\n1. Check.\n"])
        try repo.commit("Review refunds\n\nStill right after the Stripe upgrade.\n\nReviewed: SOP-CS-001, SOP-XX-999\nReviewed-by: Carol Chen <carol@example.test>",
                        by: .bob, at: "2024-06-20T11:00:00+02:00", write: ["log.txt": "x\n"])
        let (report, pages, out) = try await build(repo, now: "2024-08-01")
        #expect(report.succeeded)
        let page = try #require(pages["SOP-CS-001"])
        #expect(page["revision"] as? Int == 1)
        #expect(lastReview(page)["kind"] as? String == "trailer")
        #expect(lastReview(page)["reviewer"] as? String == "Carol Chen")
        #expect(lastReview(page)["note"] as? String == "Still right after the Stripe upgrade.")
        #expect(review(page)["next_due"] as? String == "2024-12-20")
        #expect(review(page)["state"] as? String == "current")
        #expect(report.diagnostics.contains { $0.code == "review.unknown-id" && $0.severity == .warning && $0.message.contains("SOP-XX-999") })
        let html = try String(contentsOfFile: out.path + "/site/refund/index.html", encoding: .utf8)
        #expect(html.contains("Still right after the Stripe upgrade."))
        #expect(html.contains("review recorded in a commit"))
    }

    @Test("while the file holding a reviewed id fails to load, only its own error is reported, not an unknown-id warning")
    func trailerForUnloadableFile() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2024-01-10T09:00:00+00:00",
                        write: ["refund.md": "---\nid: SOP-CS-001\ntitle: Refund\nowner: dana\n---\n1. Check.\n"])
        try repo.commit("Review refunds\n\nReviewed: SOP-CS-001", by: .bob, at: "2024-06-20T11:00:00+02:00", write: ["log.txt": "x\n"])
        try repo.directory.write("refund.md", "---\nid: SOP-CS-001\ntitle: Refund\nowner: [dana\n---\n1. Check.\n")
        let (report, _, _) = try await build(repo, now: "2024-08-01")
        #expect(report.diagnostics.contains { $0.severity == .error && $0.location.path.value == "refund.md" })
        #expect(!report.diagnostics.contains { $0.code == "review.unknown-id" }, "\(report.diagnostics.map(\.code))")
    }

    @Test("interval inheritance: own, process, criticality (own, then process's), site default — each explained")
    func intervalInheritance() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "onboarding/_process.md": "---\ntitle: Client onboarding\ncriticality: high\n---\n",
            "onboarding/own.md": "---\nid: own\nreview_interval: 2 months\ncriticality: high\n---\n",
            "onboarding/inherits.md": "---\nid: inherits\n---\n",
            "onboarding/medium.md": "---\nid: medium\ncriticality: medium\n---\n",
            "support/_process.md": "---\ntitle: Support\nreview_interval: 9 months\n---\n",
            "support/from-process.md": "---\nid: from-process\ncriticality: high\n---\n",
            "other/plain.md": "---\nid: plain\n---\n",
        ])
        let (report, pages, out) = try await build(repo, now: "2025-01-11")
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(review(pages["own"])["interval"] as? String == "2 months")
        #expect(review(pages["inherits"])["interval"] as? String == "3 months")
        #expect(review(pages["medium"])["interval"] as? String == "6 months")
        #expect(review(pages["from-process"])["interval"] as? String == "9 months")
        #expect(review(pages["plain"])["interval"] as? String == "1 year")
        let html = try String(contentsOfFile: out.path + "/site/onboarding/inherits/index.html", encoding: .utf8)
        #expect(html.contains("Every 3 months (criticality high, from process Client onboarding)"))
    }

    @Test("drafts are left out unless --drafts; a superseded SOP links to its successor; retired gets a banner")
    func lifecycle() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "a/old.md": "---\nid: SOP-OLD\ntitle: Old way\n---\nOld.\n",
            "a/new.md": "---\nid: SOP-NEW\ntitle: New way\nsupersedes: [SOP-OLD]\neffective_date: 2025-02-01\n---\nNew.\n",
            "a/gone.md": "---\nid: SOP-GONE\ntitle: Gone\nstatus: retired\n---\nGone.\n",
            "a/wip.md": "---\nid: SOP-WIP\ntitle: Work in progress\nstatus: draft\n---\nWIP.\n",
        ])
        let (report, pages, out) = try await build(repo, now: "2025-03-01")
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(pages["SOP-WIP"] == nil)
        #expect(pages["SOP-OLD"]?["superseded_by"] as? [String] == ["SOP-NEW"])
        #expect(pages["SOP-GONE"]?["status"] as? String == "retired")
        let old = try String(contentsOfFile: out.path + "/site/a/old/index.html", encoding: .utf8)
        #expect(old.contains("This document is superseded"))
        #expect(old.contains("<a href=\"../new/\">SOP-NEW</a>"))
        let gone = try String(contentsOfFile: out.path + "/site/a/gone/index.html", encoding: .utf8)
        #expect(gone.contains("This document is retired"))
        let (_, withDrafts, _) = try await build(repo, now: "2025-03-01", drafts: true)
        #expect(withDrafts["SOP-WIP"]?["status"] as? String == "draft")
    }
}

/// Earlier revisions stay readable, from Git blobs.
@Suite struct RevisionPageTests {
    @Test("an earlier revision's links resolve from where the file was then, follow renames since, and a target that is gone is text")
    func earlierLinks() async throws {
        // Found by a fresh user's trial: revision pages kept `<a href="restore.md">` to files renamed or deleted since.
        let repo = try GitFixture()
        let refund = { (links: String) in "---\nid: SOP-1\ntitle: Refund\n---\n1. Check.\n2. See \(links).\n" }
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "a/refund.md": refund("[restore](restore.md), [old](old.md#steps) and ![the flow](flow.png)"),
            "a/restore.md": "---\nid: SOP-2\ntitle: Restore\n---\nRestore.\n",
            "a/old.md": "---\nid: SOP-3\ntitle: Old\n---\nOld.\n",
            "a/flow.png": "png",
        ])
        try repo.commit("rename and tidy", by: .bob, at: "2025-02-10T09:00:00+00:00", write: [
            "a/refund.md": refund("[restore](../b/restore-data.md)"),
        ], delete: ["a/old.md", "a/flow.png"], move: [(from: "a/restore.md", to: "b/restore-data.md")])
        // The SOP itself moves too: its first revision's links were written from a/.
        try repo.commit("move refund", by: .carol, at: "2025-03-10T09:00:00+00:00", move: [(from: "a/refund.md", to: "c/refund.md")])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: ".", output: out.path + "/site", now: .day(Day(2025, 4, 1))))
        #expect(report.succeeded, "\(report.diagnostics)")
        let first = try String(contentsOfFile: out.path + "/site/sop/sop-1/rev/1.html", encoding: .utf8)
        #expect(first.contains("<a href=\"../../../b/restore-data/\">restore</a>"), "\(first)")
        #expect(first.contains(" old and ") && !first.contains("old.md"))
        #expect(first.contains("the flow") && !first.contains("flow.png") && !first.contains("<img"))
        let second = try String(contentsOfFile: out.path + "/site/sop/sop-1/rev/2.html", encoding: .utf8)
        #expect(second.contains("<a href=\"../../../b/restore-data/\">restore</a>"))
    }

    @Test("every revision is published at /sop/<id>/rev/<n>.html from its blob, older ones watermarked, each with a diff")
    func revisionPages() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00",
                        write: ["a/refund.md": "---\nid: SOP-CS-001\ntitle: Refund\n---\n1. Check the order.\n2. Refund it.\n"])
        try repo.commit("limit", by: .bob, at: "2025-02-10T09:00:00+00:00",
                        write: ["a/refund.md": "---\nid: SOP-CS-001\ntitle: Refund\n---\n1. Check the order number.\n2. Refund it.\n"])
        try repo.commit("owner only", by: .carol, at: "2025-03-10T09:00:00+00:00",
                        write: ["a/refund.md": "---\nid: SOP-CS-001\ntitle: Refund\nowner: carol\n---\n1. Check the order number.\n2. Refund it.\n"])
        // The working copy differs: revision pages must still show what Git holds.
        try "---\nid: SOP-CS-001\ntitle: Refund\nowner: carol\n---\n1. Local edit.\n".write(toFile: repo.path + "/a/refund.md", atomically: true, encoding: .utf8)
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: ".", output: out.path + "/site", now: .day(Day(2025, 4, 1))))
        #expect(report.succeeded, "\(report.diagnostics)")
        let first = try String(contentsOfFile: out.path + "/site/sop/sop-cs-001/rev/1.html", encoding: .utf8)
        #expect(first.contains("Obsolete: superseded by Rev 2"))
        #expect(first.contains("<li>Check the order.</li>"))
        // A file one folder below the SOP's: the theme and the current page from three folders up.
        #expect(first.contains("href=\"../../../assets/"), "\(first)")
        #expect(first.contains("href=\"../../../a/refund/\""))
        let second = try String(contentsOfFile: out.path + "/site/sop/sop-cs-001/rev/2.html", encoding: .utf8)
        #expect(second.contains("This is the current revision"))
        #expect(second.contains("<mark> number</mark>"))
        #expect(!second.contains("Local edit"))
        #expect(!FileManager.default.fileExists(atPath: out.path + "/site/sop/sop-cs-001/rev/3.html"))
        #expect(!FileManager.default.fileExists(atPath: out.path + "/site/sop/sop-cs-001/rev/1"), "revision pages are files, not folders")
        let page = try String(contentsOfFile: out.path + "/site/a/refund/index.html", encoding: .utf8)
        #expect(page.contains("<a href=\"../../sop/sop-cs-001/rev/2.html\">Rev 2</a>"))

        // revision_pages: false publishes none, and the history links to none.
        try "revision_pages: false\n".write(toFile: repo.path + "/sopsite.yml", atomically: true, encoding: .utf8)
        let without = await BuildPipeline.run(BuildRequest(repository: repo.path, content: ".", output: out.path + "/site", now: .day(Day(2025, 4, 1))))
        #expect(without.succeeded, "\(without.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: out.path + "/site/sop"))
        let plain = try String(contentsOfFile: out.path + "/site/a/refund/index.html", encoding: .utf8)
        #expect(!plain.contains("/rev/"))
        #expect(plain.contains("<td>Rev 2</td>"))
    }
}
