import Foundation
import Testing
import TestSupport

/// The `sopsite` executable as CI runs it: exit codes, and the text, JSON and GitHub annotation formats of `check`.
@Suite struct CheckCommandTests {
    func sopsite(_ arguments: [String], in folder: String) throws -> (status: Int32, output: String, errors: String) {
        try runSopsite(arguments, in: folder)
    }

    func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/support/refund.md": "---\nid: SOP-1\ntitle: Refund\nowner: dana\nreview_interval: 3 months\n---\nSee [x](missing.md).\n",
            "content/support/escalate.md": "---\nid: SOP-2\ntitle: Escalate, then wait\nowner: dana\n---\nOK.\n",
        ])
        return repo
    }

    @Test("check exits 1 with one line per problem: overdue review and a broken link, each with file and line")
    func textFormat() throws {
        let repo = try repository()
        let result = try sopsite(["check", "--now", "2025-06-01"], in: repo.path)
        #expect(result.status == 1)
        #expect(result.output.contains("content/support/refund.md:1: error: SOP-1 \"Refund\" is overdue for review: it was due 2025-04-10"))
        #expect(result.output.contains("content/support/refund.md:7: error: link \"missing.md\""))
        #expect(result.output.contains("Checked 2 SOPs as of 2025-06-01: 2 problems"))
    }

    @Test("--fail-on never ignores review states; due-soon adds them; a clean check exits 0")
    func thresholds() throws {
        let repo = try repository()
        try repo.commit("fix link", by: .bob, at: "2025-05-20T09:00:00+00:00", write: [
            "content/support/refund.md": "---\nid: SOP-1\ntitle: Refund\nowner: dana\nreview_interval: 3 months\n---\nSee [x](escalate.md).\n",
        ])
        #expect(try sopsite(["check", "--now", "2025-06-01"], in: repo.path).status == 0)
        #expect(try sopsite(["check", "--now", "2025-08-15"], in: repo.path).status == 0)  // due 2025-08-20: due soon only
        #expect(try sopsite(["check", "--now", "2025-08-15", "--fail-on", "due-soon"], in: repo.path).status == 1)
        #expect(try sopsite(["check", "--now", "2025-09-01", "--fail-on", "never"], in: repo.path).status == 0)
        #expect(try sopsite(["check", "--now", "2025-09-01"], in: repo.path).status == 1)
        #expect(try sopsite(["check", "--fail-on", "sometimes"], in: repo.path).status == 2)
    }

    @Test("--format github prints workflow annotations with escaped properties")
    func githubFormat() throws {
        let repo = try repository()
        let result = try sopsite(["check", "--now", "2025-06-01", "--format", "github"], in: repo.path)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("::error file=content/support/refund.md,line=1,title=review.overdue::SOP-1 \"Refund\" is overdue") })
        #expect(lines.allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") })
    }

    @Test("--format json lists every problem with its location")
    func jsonFormat() throws {
        let repo = try repository()
        let result = try sopsite(["check", "--now", "2025-06-01", "--format", "json"], in: repo.path)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(payload["errors"] as? Int == 2)
        let problems = try #require(payload["problems"] as? [[String: Any]])
        #expect(Set(problems.compactMap { $0["code"] as? String }) == ["review.overdue", "link.broken"])
        #expect(problems.allSatisfy { ($0["location"] as? [String: Any])?["path"] as? String == "content/support/refund.md" })
    }

    @Test("build: usage errors exit 2, content errors exit 1, success 0")
    func buildExitCodes() throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-cli")
        #expect(try sopsite(["build", "--now", "2025-06-01", "--out", out.path + "/site"], in: repo.path).status == 0)
        #expect(try sopsite(["build", "--now", "not-a-date"], in: repo.path).status == 2)
        #expect(try sopsite(["build", "--out", "."], in: repo.path).status == 2)
        #expect(try sopsite(["build", "--repo", "/nonexistent/repo"], in: repo.path).status == 2)
        #expect(try sopsite(["build", "--theme", "/nonexistent/theme", "--out", out.path + "/t"], in: repo.path).status == 2)
        try repo.commit("break", by: .bob, at: "2025-05-01T09:00:00+00:00", write: ["content/support/bad.md": "---\ntitle: [\n---\n"])
        let failed = try sopsite(["build", "--now", "2025-06-01", "--out", out.path + "/site"], in: repo.path)
        #expect(failed.status == 1)
        #expect(failed.errors.contains("content/support/bad.md:"))
        #expect(failed.errors.contains("error: the front matter is not valid YAML"))
    }
}
