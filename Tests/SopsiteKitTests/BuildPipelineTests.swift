import Foundation
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// End-to-end: real repositories built commit by commit, a real build, facts read back from the written site.
@Suite struct BuildPipelineTests {
    struct Built {
        /// Holds the temporary folder alive while the test reads the site.
        let folder: TemporaryDirectory
        let report: BuildReport
        let output: String
        func text(_ path: String) throws -> String {
            try String(contentsOfFile: output + "/" + path, encoding: .utf8)
        }
        func pages() throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: output + "/api/pages.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        }
        func page(_ id: String) throws -> [String: Any] {
            try #require(try pages().first { $0["id"] as? String == id }, "no page \(id)")
        }
    }

    func build(_ repo: GitFixture, content: String? = "content", now: String = "2025-06-01", out: TemporaryDirectory? = nil) async throws -> Built {
        let folder = try out ?? TemporaryDirectory(prefix: "sopsite-out")
        let output = folder.path + "/site"
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: content, output: output,
                                                          now: .day(try #require(Day(iso: now)))))
        return Built(folder: folder, report: report, output: output)
    }

    func sop(_ id: String, title: String, owner: String = "dana", interval: String? = "6 months", steps: [String]) -> String {
        "---\nid: \(id)\ntitle: \(title)\nowner: \(owner)\n" + (interval.map { "review_interval: \($0)\n" } ?? "") + "---\n"
            + "## Steps\n\n" + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
    }

    /// A history with renames, a move across processes, a merge and several authors in several time zones.
    func storyRepository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("Add support process and refund SOP", by: .alice, at: "2024-01-10T09:00:00+01:00", write: [
            "content/support/_process.md": "---\ntitle: Customer support\nstart: A customer writes\nend: The case is closed\noutcome: Answered in a day\nreview_interval: 12 months\n---\nWhy support matters.\n",
            "content/support/refund.md": sop("SOP-CS-001", title: "How to process a customer refund", steps: ["Check the order.", "Refund it."]),
            "content/support/escalate.md": sop("SOP-CS-002", title: "How to escalate a complaint", interval: nil, steps: ["Call the lead."]),
            "content/finance/_process.md": "---\ntitle: Finance\n---\nMoney.\n",
        ])
        try repo.commit("Refund: add limit", by: .bob, at: "2024-03-02T16:30:00-05:00", write: [
            "content/support/refund.md": sop("SOP-CS-001", title: "How to process a customer refund",
                                             steps: ["Check the order.", "Refund up to 500 EUR. See [escalation](../support/escalate.md#steps)."]),
        ])
        try repo.branch("feature")
        try repo.commit("Escalation: page on-call", by: .dave, at: "2024-04-01T10:00:00+02:00", write: [
            "content/support/escalate.md": sop("SOP-CS-002", title: "How to escalate a complaint", interval: nil, steps: ["Call the lead.", "Page on-call."]),
        ], on: "feature")
        try repo.commit("Move refunds to finance", by: .carol, at: "2024-05-01T08:00:00+08:00",
                        move: [("content/support/refund.md", "content/finance/refund.md")])
        try repo.merge("feature", "Merge branch 'feature'", by: .bob, at: "2024-05-02T12:00:00+00:00")
        return repo
    }

    @Test("pages.json matches git log --follow for every SOP: commits, created, last change, contributors")
    func pagesMatchGit() async throws {
        let repo = try storyRepository()
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.report.pages == 2)
        for page in try built.pages() {
            let path = try #require(page["source_path"] as? String)
            let log = try repo.gitLogFollow(path, format: "%H%x09%an%x09%aI")
            let created = try #require(page["created"] as? [String: Any])
            let last = try #require(page["last_change"] as? [String: Any])
            #expect(page["commits"] as? Int == log.count, "\(path)")
            // Every commit git lists is in the history; only creations and body edits are revisions.
            let history = try #require(page["history"] as? [[String: Any]])
            #expect(history.map { $0["commit"] as? String ?? "" } == log.map { String($0.prefix(40)) }, "\(path)")
            #expect(page["revision"] as? Int == history.filter { ["created", "content"].contains($0["kind"] as? String) }.count, "\(path)")
            #expect("\(last["commit"]!)\t\(last["author"]!)\t\(last["date"]!)" == log.first, "\(path)")
            #expect("\(created["commit"]!)\t\(created["author"]!)\t\(created["date"]!)" == log.last, "\(path)")
            let authors = try repo.gitLogFollow(path, format: "%an")
            let contributors = try #require(page["contributors"] as? [[String: Any]]).map { $0["name"] as? String ?? "" }
            #expect(Set(contributors) == Set(authors), "\(path)")
        }
        let refund = try built.page("SOP-CS-001")
        #expect(refund["source_path"] as? String == "content/finance/refund.md")
        #expect(refund["url"] as? String == "/finance/refund/")
        #expect((refund["created"] as? [String: Any])?["date"] as? String == "2024-01-10T09:00:00+01:00")
        #expect((refund["last_change"] as? [String: Any])?["date"] as? String == "2024-05-01T08:00:00+08:00")
        // The move to finance is not a revision: created, then Bob's limit edit (Rev 2), which is the last review.
        #expect(refund["revision"] as? Int == 2)
        #expect((refund["last_revision"] as? [String: Any])?["date"] as? String == "2024-03-02T16:30:00-05:00")
        #expect((refund["last_review"] as? [String: Any])?["kind"] as? String == "edit")
        // 16:30 at -05:00 is 21:30 UTC on 2 March; + 6 months.
        #expect((refund["review"] as? [String: Any])?["next_due"] as? String == "2024-09-02")
        #expect((refund["review"] as? [String: Any])?["state"] as? String == "overdue")
        let escalate = try built.page("SOP-CS-002")
        #expect((escalate["review"] as? [String: Any])?["interval"] as? String == "1 year")  // from its process
    }

    @Test("the SOP page shows revision, dates, contributors, badge and the revision history")
    func sopPage() async throws {
        let built = try await build(try storyRepository(), now: "2024-10-15")
        let html = try built.text("finance/refund/index.html")
        #expect(html.contains("Rev 2"))
        #expect(html.contains("Last changed 5 months ago (<time datetime=\"2024-05-01T08:00:00+08:00\""))
        #expect(html.contains("1 May 2024"))
        #expect(html.contains("badge--overdue"))
        #expect(html.contains("data-review-due=\"2024-09-02\""))
        #expect(html.contains("Review due <time datetime=\"2024-09-02\">2 September 2024</time>"))
        #expect(html.contains("Move refunds to finance"))
        #expect(html.contains("Renamed from content/support/refund.md"))
        #expect(html.contains("Carol Chen"))
        #expect(html.contains("Every 6 months (set on this page)"))
        // The relative link to another SOP points at its page, from this page's folder.
        #expect(html.contains("href=\"../../support/escalate/#steps\""))
    }

    @Test("reader navigation: process map, stages with work instructions, previous/next, tag, owner and recent pages")
    func readerNavigation() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/support/_process.md": "---\ntitle: Support\nstart: A customer writes\nend: The case is closed\nowner: dana\n---\n",
            "content/support/b.md": "---\nid: SOP-2\ntitle: Second\norder: 2\nowner: dana\ntags: [refunds]\n---\nTwo.\n",
            "content/support/a.md": "---\nid: SOP-1\ntitle: First\norder: 1\ntags: [refunds, payments]\n---\nOne.\n\n![](flow.svg)\n",
            "content/support/wi.md": "---\nid: WI-1\ntitle: Tricky step\ntype: work-instruction\nparent: SOP-1\n---\nDetail.\n",
            "content/support/flow.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ])
        let built = try await build(repo, now: "2025-04-10")
        #expect(built.report.diagnostics.contains { $0.code == "image.missing-alt" && $0.location.description == "content/support/a.md:9" })
        let process = try built.text("support/index.html")
        #expect(process.contains("<svg class=\"process-map\""))
        #expect(process.contains("Start: A customer writes"))
        #expect(process.range(of: "First")!.lowerBound < process.range(of: "Second")!.lowerBound)
        #expect(process.contains("<span class=\"kind\">Work instruction</span> <a href=\"wi/\">Tricky step</a>"))
        let first = try built.text("support/a/index.html")
        #expect(first.contains("rel=\"next\""))
        #expect(first.contains("Tricky step"))
        #expect(first.contains("Last changed 3 months ago"))
        let instruction = try built.text("support/wi/index.html")
        #expect(instruction.contains("Details one step of <a href=\"../a/\">First</a>"))
        #expect(try built.text("tags/refunds/index.html").contains("Second"))
        #expect(try built.text("owners/dana/index.html").contains("First"))  // inherited from the process
        #expect(try built.text("recent/index.html").contains("Tricky step"))
        let printed = try built.text("support/b/index.html")
        #expect(printed.contains("Uncontrolled copy when printed"))
    }

    @Test("the home page lists processes and their procedures; a process page shows its definition")
    func homeAndProcess() async throws {
        let built = try await build(try storyRepository())
        let home = try built.text("index.html")
        #expect(home.contains("Customer support"))
        #expect(home.contains("href=\"finance/refund/\""))
        let process = try built.text("support/index.html")
        #expect(process.contains("A customer writes"))
        #expect(process.contains("Answered in a day"))
        #expect(process.contains("How to escalate a complaint"))
        let index = try built.text("search/docs-0.js")
        #expect(index.contains("\"id\":\"SOP-CS-001\""))
    }

    @Test("a content file published where sopsite writes its own (a theme asset, a revision page) is an error, and nothing is written")
    func contentOverGeneratedFiles() async throws {
        // Found by a fresh user's trial: content/assets/style.css replaced the theme's stylesheet, and a hand-made
        // content/sop/sop-1/rev/1.html an SOP's first revision page, without a word.
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/a.md": sop("SOP-1", title: "Restart the API", steps: ["Restart it."]),
            "content/assets/style.css": "body { background: red }\n",
            "content/sop/sop-1/rev/1.html": "<p>not the revision</p>\n",
            "content/assets/diagram.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        ])
        let built = try await build(repo)
        let found = built.report.diagnostics.filter { $0.code == "content.reserved-url" }.map { $0.location.path.value }.sorted()
        #expect(found == ["content/assets/style.css", "content/sop/sop-1/rev/1.html"], "\(built.report.diagnostics)")
        #expect(!built.report.succeeded && !FileManager.default.fileExists(atPath: built.output))
    }

    @Test("without --out or output:, the site goes to _site at the top of the repository, whatever the working folder")
    func defaultOutputInRepository() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-06T09:00:00+01:00", write: ["content/refund.md": "---\nid: SOP-1\ntitle: Refund\n---\n1. Refund.\n"])
        #expect(FileManager.default.currentDirectoryPath != repo.path)
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: "content", output: nil, now: .day(Day(2025, 6, 1))))
        #expect(report.succeeded, "\(report.diagnostics)")
        #expect(report.outputPath == repo.path + "/_site")
        #expect(FileManager.default.fileExists(atPath: repo.path + "/_site/index.html"))
    }

    @Test("same commit and same --now give a byte-identical site")
    func deterministic() async throws {
        let repo = try storyRepository()
        let first = try await build(repo, now: "2025-01-01")
        let second = try await build(repo, now: "2025-01-01")
        let files = try FileManager.default.subpathsOfDirectory(atPath: first.output).sorted()
        #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: second.output).sorted()))
        #expect(files.count > 10)
        for file in files {
            let a = FileManager.default.contents(atPath: first.output + "/" + file)
            let b = FileManager.default.contents(atPath: second.output + "/" + file)
            #expect(a == b, "\(file) differs")
        }
    }

    @Test("every front-matter error is reported in one run with file and line, and no site is written")
    func errorsStopTheBuild() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2024-01-01T10:00:00+00:00", write: [
            "content/a/one.md": "---\ntitle: One\nreview_interval: 6 monts\n---\nBody\n",
            "content/a/two.md": "---\ntitle: \"Two\n---\nBody\n",
            "content/a/three.md": "---\nid: X\n---\n", "content/a/four.md": "---\nid: X\n---\n",
        ])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let built = try await build(repo, out: out)
        #expect(!built.report.succeeded)
        let found = built.report.diagnostics.filter { $0.severity == .error }.map { "\($0.location) \($0.code)" }
        #expect(found == ["content/a/one.md:3 front-matter.review-interval", "content/a/three.md:2 document.duplicate-id",
                          "content/a/two.md:2 front-matter.yaml"])
        let duplicate = try #require(built.report.diagnostics.first { $0.code == "document.duplicate-id" })
        #expect(duplicate.notes.first?.location.description == "content/a/four.md:2")
        #expect(!FileManager.default.fileExists(atPath: built.output))
    }

    @Test("a failed build leaves the previous site untouched")
    func failedBuildKeepsSite() async throws {
        let repo = try storyRepository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let first = try await build(repo, out: out)
        #expect(first.report.succeeded)
        let before = try first.text("index.html")
        try repo.commit("Break it", by: .alice, at: "2025-01-01T10:00:00+00:00",
                        write: ["content/support/broken.md": "---\ntitle: [unclosed\n---\n"])
        let second = try await build(repo, out: out)
        #expect(!second.report.succeeded)
        #expect(try second.text("index.html") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.contains(".sopsite-") }
        #expect(leftovers.isEmpty)
    }

    @Test("raw HTML and script in Markdown are escaped, and front-matter values are escaped in HTML")
    func escaping() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2024-01-01T10:00:00+00:00", write: [
            "content/a/x.md": "---\ntitle: \"Refunds <script>alert(1)</script>\"\nowner: \"\\\"><img src=x onerror=alert(1)>\"\n---\n<script>alert(2)</script>\n\n[click](javascript:alert(3))\n",
        ])
        let built = try await build(repo)
        let html = try built.text("a/x/index.html")
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("javascript:alert"))
        #expect(html.contains("Refunds &lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test("an uncommitted edit is shown and flagged; an untracked file has no dates (B06)")
    func uncommittedWork() async throws {
        let repo = try GitFixture()
        try repo.commit("add a", by: .init("Alice", "alice@example.test"), at: "2022-01-10T10:00:00+00:00",
                        write: ["a.md": "# A\n\nOne.\n"])
        try "# A\n\nOne.\nTwo (local edit).\n".write(toFile: repo.path + "/a.md", atomically: true, encoding: .utf8)
        try "# New\n\nDraft.\n".write(toFile: repo.path + "/new.md", atomically: true, encoding: .utf8)
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let built = try await build(repo, content: ".", out: out)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        let a = try built.page("a")
        #expect(a["commits"] as? Int == 1)
        #expect((a["last_change"] as? [String: Any])?["date"] as? String == "2022-01-10T10:00:00+00:00")
        #expect(a["uncommitted"] as? Bool == true)
        let new = try built.page("new")
        #expect(new["commits"] as? Int == 0)
        #expect(new["created"] is NSNull)
        #expect(new["uncommitted"] as? Bool == true)
        #expect((new["review"] as? [String: Any])?["state"] as? String == "never-reviewed")
        #expect(try built.text("a/index.html").contains("local edits that are not committed"))
        #expect(try built.text("new/index.html").contains("Not committed yet"))
    }

    @Test("B03: non-ASCII titles and paths survive in HTML and JSON; URLs are percent-encoded UTF-8, never Git's octal quoting")
    func nonASCII() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .init("Alice", "alice@example.test"), at: "2022-09-01T08:00:00+02:00",
                        write: ["procédures/redémarrage.md": "# Redémarrage\n\nÉtape.\n", "手順/再起動.md": "# 再起動\n\n手順。\n"])
        let built = try await build(repo, content: ".")
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        let pages = try built.pages()
        #expect(Set(pages.compactMap { $0["title"] as? String }) == ["Redémarrage", "再起動"])
        let home = try built.text("index.html")
        #expect(home.contains("Redémarrage"))
        #expect(home.contains("href=\"proc%C3%A9dures/red%C3%A9marrage/\""))
        #expect(!home.contains("\\303"))
        #expect(FileManager.default.fileExists(atPath: built.output + "/procédures/redémarrage/index.html"))
    }

    @Test("refuses to write into the repository, the content folder or a foreign non-empty folder")
    func outputGuard() async throws {
        let repo = try storyRepository()
        // --force never overrides these: each would destroy the writer's files or the repository itself.
        for output in [repo.path, repo.path + "/content", repo.path + "/content/support", repo.path + "/.git", repo.path + "/.git/x",
                       (repo.path as NSString).deletingLastPathComponent] {
            let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: "content", output: output,
                                                              now: .day(Day(2025, 1, 1)), force: true))
            #expect(report.diagnostics.map(\.code) == ["output.unsafe"], "\(output)")
        }
        #expect(FileManager.default.fileExists(atPath: repo.path + "/content/support/escalate.md"))
        #expect(try repo.git(["rev-parse", "HEAD"]).count == 41)
        let foreign = try TemporaryDirectory(prefix: "sopsite-foreign")
        try foreign.write("keep.txt", "mine")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: "content", output: foreign.path, now: .day(Day(2025, 1, 1))))
        #expect(report.diagnostics.map(\.code) == ["output.not-ours"])
        #expect(FileManager.default.fileExists(atPath: foreign.path + "/keep.txt"))
    }

    @Test("a shallow clone stops the build with an error that says how to fix it (B01)")
    func shallowClone() async throws {
        guard GitFixture.hasGitCommand else { return }
        let repo = try storyRepository()
        let clone = try TemporaryDirectory(prefix: "sopsite-shallow")
        _ = try repo.git(["clone", "-q", "--depth", "1", "file://" + repo.path, clone.path + "/site"])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: clone.path + "/site", content: "content", output: out.path + "/s",
                                                          now: .day(Day(2025, 1, 1))))
        let error = try #require(report.diagnostics.first { $0.code == "history.shallow-clone" })
        #expect(error.fix?.contains("git fetch --unshallow") == true)
        #expect(!report.succeeded)

        // --allow-shallow builds, says so on every page, and never presents the boundary commit as the creation.
        var request = BuildRequest(repository: clone.path + "/site", content: "content", output: out.path + "/s", now: .day(Day(2025, 1, 1)))
        request.allowShallow = true
        let allowed = await BuildPipeline.run(request)
        #expect(allowed.succeeded, "\(allowed.diagnostics)")
        #expect(allowed.diagnostics.contains { $0.code == "history.shallow-clone" && $0.severity == .warning })
        let page = try String(contentsOfFile: out.path + "/s/finance/refund/index.html", encoding: .utf8)
        #expect(page.contains("built from a shallow clone"))
        #expect(page.contains("History unknown"))
        #expect(!page.contains("Merge branch"))
    }
}

/// Field cases B05 and B09 end to end.
@Suite struct FieldCaseTests {
    func build(_ repo: GitFixture, now: String) async throws -> (BuildReport, TemporaryDirectory) {
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, content: ".", output: out.path + "/site",
                                                          now: .day(try #require(Day(iso: now)))))
        return (report, out)
    }

    @Test("B05: pages show the calendar day in the configured time zone; JSON keeps the instant", arguments: [
        ("UTC", "29 June 2023", "1 January 2023"), ("Asia/Shanghai", "30 June 2023", "1 January 2023"),
        ("America/Los_Angeles", "29 June 2023", "31 December 2022"),
    ])
    func timeZones(zone: String, power: String, checklist: String) async throws {
        let repo = try GitFixture()
        try repo.commit("power", by: .alice, at: "2023-06-30T07:30:00+08:00",
                        write: ["power.md": "# Power\n\nSwitch off.\n", "sopsite.yml": "timezone: \(zone)\n"])
        try repo.commit("checklist", by: .bob, at: "2023-01-01T00:30:00-05:00", write: ["checklist.md": "# Checklist\n\n- a\n"])
        let (report, out) = try await build(repo, now: "2023-07-01")
        #expect(report.succeeded, "\(report.diagnostics)")
        let powerPage = try String(contentsOfFile: out.path + "/site/power/index.html", encoding: .utf8)
        #expect(powerPage.contains(">\(power)</time>"))
        #expect(powerPage.contains("datetime=\"2023-06-30T07:30:00+08:00\""))
        let checklistPage = try String(contentsOfFile: out.path + "/site/checklist/index.html", encoding: .utf8)
        #expect(checklistPage.contains(">\(checklist)</time>"))
        let json = try String(contentsOfFile: out.path + "/site/api/pages.json", encoding: .utf8)
        #expect(json.contains("\"date\":\"2023-01-01T00:30:00-05:00\""))
    }

    @Test("B09: a CRLF file gives a clean title, owner and interval, no carriage return in JSON, and a real list")
    func crlf() async throws {
        let repo = try GitFixture()
        let text = "---\r\ntitle: Rotate TLS certificates\r\nowner: web\r\nreview_interval: 3 months\r\n---\r\n## Steps\r\n\r\n1. Renew.\r\n2. Deploy.\r\n"
        try repo.commit("tls", by: .alice, at: "2023-02-01T10:00:00+00:00", write: ["tls.md": text])
        let (report, out) = try await build(repo, now: "2023-03-01")
        #expect(report.succeeded, "\(report.diagnostics)")
        let json = try String(contentsOfFile: out.path + "/site/api/pages.json", encoding: .utf8)
        #expect(!json.contains("\\r"))
        #expect(json.contains("\"title\":\"Rotate TLS certificates\""))
        #expect(json.contains("\"next_due\":\"2023-05-01\""))
        #expect(json.contains("\"owner\":\"web\""))
        let index = try String(contentsOfFile: out.path + "/site/search/docs-0.js", encoding: .utf8)
        #expect(!index.contains("\\r"))
        let page = try String(contentsOfFile: out.path + "/site/tls/index.html", encoding: .utf8)
        #expect(page.contains("<h2 id=\"steps\">Steps</h2>"))
        #expect(page.contains("<ol>\n<li>Renew.</li>"))
    }
}

/// Repository states that are not a plain checkout.
@Suite struct RepositoryStateTests {
    @Test("a bare repository (a CI mirror) builds from HEAD's tree")
    func bareRepository() async throws {
        guard GitFixture.hasGitCommand else { return }
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/a/one.md": "---\nid: SOP-1\ntitle: One\n---\nBody.\n", "sopsite.yml": "title: Mirror site\n"])
        let mirror = try TemporaryDirectory(prefix: "sopsite-bare")
        _ = try repo.git(["clone", "-q", "--bare", repo.path, mirror.path + "/repo.git"])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: mirror.path + "/repo.git", output: out.path + "/site", now: .day(Day(2025, 2, 1))))
        #expect(report.succeeded, "\(report.diagnostics)")
        let page = try String(contentsOfFile: out.path + "/site/a/one/index.html", encoding: .utf8)
        #expect(page.contains("Mirror site"))
        #expect(page.contains("Rev 1"))
    }

    @Test("a folder that is not a repository, and a repository without commits, get clear messages")
    func emptyAndMissing() async throws {
        let plain = try TemporaryDirectory(prefix: "sopsite-plain")
        try plain.write("content/a.md", "# A\n")
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let notRepo = await BuildPipeline.run(BuildRequest(repository: plain.path, output: out.path + "/s", now: .day(Day(2025, 2, 1))))
        #expect(notRepo.diagnostics.contains { $0.code == "git.open" && $0.message.contains("is not a Git repository") })
        let empty = try GitFixture()
        try empty.directory.write("content/a.md", "# A\n")
        let unborn = await BuildPipeline.run(BuildRequest(repository: empty.path, output: out.path + "/t", now: .day(Day(2025, 2, 1))))
        #expect(unborn.succeeded)
        #expect(unborn.diagnostics.map(\.code) == ["history.no-commits"])
    }
}

/// A site's own theme folder overrides templates, partials and assets of the built-in theme by name.
@Suite struct ThemeOverrideTests {
    @Test("theme: in sopsite.yml overrides a partial and an asset; everything else stays built in")
    func override() async throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/a/x.md": "---\nid: A-1\ntitle: Alpha\n---\nBody\n", "sopsite.yml": "theme: brand\n",
            "brand/partials/badge.mustache": "<strong class=\"brand-badge\">{{label}}</strong>\n",
            "brand/assets/style.css": "body { color: rebeccapurple; }\n",
        ])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await BuildPipeline.run(BuildRequest(repository: repo.path, output: out.path + "/site", now: .day(Day(2025, 2, 1))))
        #expect(report.succeeded, "\(report.diagnostics)")
        let page = try String(contentsOfFile: out.path + "/site/a/x/index.html", encoding: .utf8)
        #expect(page.contains("<strong class=\"brand-badge\">Current</strong>"))
        #expect(page.contains("Document control"))
        #expect(try String(contentsOfFile: out.path + "/site/assets/style.css", encoding: .utf8) == "body { color: rebeccapurple; }\n")
        #expect(FileManager.default.fileExists(atPath: out.path + "/site/assets/search.js"))
    }
}
