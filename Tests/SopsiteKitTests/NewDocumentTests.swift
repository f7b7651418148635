import Foundation
import SOPCore
@testable import SopsiteKit
import Testing
import TestSupport

/// `sopsite new`: the template, the next id of the process's pattern, and never overwriting.
@Suite struct NewDocumentTests {
    func repository() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory(prefix: "sopsite-new")
        try folder.write("content/owners.yml", "dana:\n  name: Dana Whitfield\nsofia:\n  name: Sofia Reyes\n")
        try folder.write("content/customer-support/_process.md", "---\ntitle: Customer support\ntype: process\nowner: dana\nreview_interval: 6 months\n---\nWhy.\n")
        try folder.write("content/customer-support/refund.md", "---\nid: SOP-CS-001\ntitle: Refund\n---\nx\n")
        try folder.write("content/customer-support/escalate.md", "---\nid: SOP-CS-002\ntitle: Escalate\n---\nx\n")
        // A file whose front matter is broken elsewhere still holds on to its id.
        try folder.write("content/customer-support/old.md", "---\nid: SOP-CS-005\ntitle: \"Old\nstatus: retired\n---\nx\n")
        try folder.write("content/customer-support/detail.md", "---\nid: WI-CS-009\ntype: work-instruction\n---\nx\n")
        try folder.write("content/hiring/_process.md", "---\ntitle: Hiring\n---\nWhy.\n")
        try folder.write("content/hiring/offer.md", "---\nid: SOP-HR-001\ntitle: Offer\n---\nx\n")
        try folder.write("content/client-onboarding/_process.md", "---\ntitle: Client onboarding\n---\nWhy.\n")
        return folder
    }

    @Test("a procedure gets the next id of its process's pattern, the process's owner and interval, and numbered steps")
    func procedure() throws {
        let folder = try repository()
        let plan = try NewDocument.procedure(title: "How to process a customer refund", process: "customer-support", owner: nil, id: nil,
                                             repository: folder.path, content: nil)
        #expect(plan.path == RepoPath("content/customer-support/process-a-customer-refund.md"))
        #expect(plan.id == "SOP-CS-006")
        #expect(plan.warnings.isEmpty)
        #expect(plan.text.hasPrefix("---\nid: SOP-CS-006\ntitle: How to process a customer refund\ntype: procedure\nprocess: customer-support\nowner: dana\n"))
        #expect(plan.text.contains("review_interval: 6 months"))
        #expect(plan.text.contains("## Steps\n\n1. "))
        #expect(plan.text.contains("2. "))
        #expect(plan.text.contains("- [Customer support](_process.md)"))
        try NewDocument.write(plan)
        let written = try String(contentsOfFile: folder.path + "/content/customer-support/process-a-customer-refund.md", encoding: .utf8)
        #expect(written == plan.text)
        // And the next one continues from it.
        let next = try NewDocument.procedure(title: "How to close a ticket", process: "Customer support", owner: "@sofia", id: nil,
                                             repository: folder.path, content: nil)
        #expect(next.id == "SOP-CS-007")
        #expect(next.text.contains("owner: sofia\n"))
    }

    @Test("between prefixes as common as each other, the process's own wins over that of an SOP moved in from another process")
    func movedInID() throws {
        let folder = try repository()
        // Hiring holds SOP-HR-001 and, moved in from customer support, SOP-CS-004: HR is used nowhere else.
        try folder.write("content/hiring/moved.md", "---\nid: SOP-CS-004\ntitle: Moved in\n---\nx\n")
        let plan = try NewDocument.procedure(title: "How to check references", process: "hiring", owner: nil, id: nil,
                                             repository: folder.path, content: nil)
        #expect(plan.id == "SOP-HR-002")
    }

    @Test("an existing file is never overwritten: neither by a new plan nor by a plan made before the file appeared")
    func neverOverwrites() throws {
        let folder = try repository()
        do {
            _ = try NewDocument.procedure(title: "How to escalate", process: "customer-support", owner: nil, id: nil,
                                          repository: folder.path, content: nil)
            Issue.record("a plan for an existing file")
        } catch {
            #expect(error.kind == .exists)
            #expect(error.message == "content/customer-support/escalate.md already exists; nothing was written")
        }
        let plan = try NewDocument.procedure(title: "How to issue a voucher", process: "customer-support", owner: nil, id: nil,
                                             repository: folder.path, content: nil)
        try folder.write("content/customer-support/issue-a-voucher.md", "written meanwhile\n")
        do {
            try NewDocument.write(plan)
            Issue.record("overwrote a file")
        } catch {
            #expect(error.kind == .exists)
        }
        #expect(try String(contentsOfFile: folder.path + "/content/customer-support/issue-a-voucher.md", encoding: .utf8) == "written meanwhile\n")
        #expect(try String(contentsOfFile: folder.path + "/content/customer-support/escalate.md", encoding: .utf8).contains("SOP-CS-002"))
    }

    @Test("a process without ids takes the site's pattern with its own letters; unknown processes and taken ids are refused")
    func patternsAndRefusals() throws {
        let folder = try repository()
        let onboarding = try NewDocument.procedure(title: "How to hold a kickoff call", process: "client-onboarding", owner: nil, id: nil,
                                                   repository: folder.path, content: nil)
        #expect(onboarding.id == "SOP-CO-001")
        #expect(onboarding.text.contains("# owner: HANDLE"))
        let hiring = try NewDocument.procedure(title: "Run an interview", process: "hiring", owner: "nobody", id: nil,
                                               repository: folder.path, content: nil)
        #expect(hiring.id == "SOP-HR-002")
        #expect(hiring.path == RepoPath("content/hiring/run-an-interview.md"))
        #expect(hiring.warnings.count == 1)
        #expect(throws: NewDocument.Failure.self) {
            try NewDocument.procedure(title: "How to x", process: "custmer-support", owner: nil, id: nil, repository: folder.path, content: nil)
        }
        #expect(throws: NewDocument.Failure.self) {
            try NewDocument.procedure(title: "How to x", process: "hiring", owner: nil, id: "SOP-CS-005", repository: folder.path, content: nil)
        }
        #expect(NewDocument.processCode(for: "customer-support") { _ in false } == "CS")
        #expect(NewDocument.processCode(for: "hiring") { _ in false } == "HI")
        #expect(NewDocument.processCode(for: "hiring") { $0 == "HI" } == "HR")
        #expect(NewDocument.slugify("How to process a customer's refund (UK)") == "how-to-process-a-customers-refund-uk")
        #expect(NewDocument.slugify("Überweisung prüfen") == "uberweisung-prufen")
    }

    @Test("a process is a folder named after its title with a _process.md; it is never written twice")
    func process() throws {
        let folder = try repository()
        let plan = try NewDocument.process(title: "Returns handling", owner: "sofia", repository: folder.path, content: nil)
        #expect(plan.path == RepoPath("content/returns-handling/_process.md"))
        #expect(plan.text.hasPrefix("---\ntitle: Returns handling\ntype: process\nowner: sofia\nstart: "))
        try NewDocument.write(plan)
        #expect(throws: NewDocument.Failure.self) {
            try NewDocument.process(title: "Returns handling", owner: nil, repository: folder.path, content: nil)
        }
        let next = try NewDocument.procedure(title: "How to refund a return", process: "returns-handling", owner: nil, id: nil,
                                             repository: folder.path, content: nil)
        #expect(next.id == "SOP-RH-001")
        #expect(next.text.contains("owner: sofia\n"))
    }

    @Test("the new SOP builds cleanly: no errors or warnings for it, and its page carries the new id")
    func templateBuilds() async throws {
        let repo = try GitFixture()
        try repo.commit("Add support", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/support/_process.md": "---\ntitle: Customer support\nowner: dana\n---\nWhy.\n",
            "content/support/refund.md": "---\nid: SOP-CS-001\ntitle: Refund\n---\nx\n",
        ])
        let plan = try NewDocument.procedure(title: "How to close a ticket", process: "support", owner: nil, id: nil, repository: repo.path, content: nil)
        try NewDocument.write(plan)
        let (report, files) = await BuildPipeline.render(BuildRequest(repository: repo.path, output: nil, now: .day(try #require(Day(iso: "2025-06-01")))))
        #expect(report.diagnostics.filter { $0.location.path == plan.path } == [])
        #expect(report.succeeded)
        let page = try #require(files.first { $0.path == "support/close-a-ticket/index.html" })
        #expect(String(decoding: page.bytes, as: UTF8.self).contains("SOP-CS-002"))
    }
}
