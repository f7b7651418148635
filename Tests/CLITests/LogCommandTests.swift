import Foundation
import Testing
import TestSupport

/// `sopsite log`: the history sopsite derives for each SOP, checked against `git log --follow --name-status` on a real
/// repository.
@Suite struct LogCommandTests {
    func sopsite(_ arguments: [String], in folder: String) throws -> (status: Int32, output: String, errors: String) {
        try runSopsite(arguments, in: folder)
    }

    func sop(owner: String, steps: String) -> String {
        "---\nid: SOP-CS-004\ntitle: Refund\nowner: \(owner)\n---\n# Refund\n\n\(steps)"
    }

    /// Six commits of one SOP, one of each kind, with a move and four UTC offsets; the reformat is listed in the
    /// ignore-revs file.
    func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("Add refund SOP", by: .alice, at: "2024-01-10T09:00:00+01:00", write: [
            "content/support/refund.md": sop(owner: "dana", steps: "1. Check the order.\n2. Refund it.\n"),
            "content/support/escalate.md": "# Escalate\n\n1. Call the lead.\n",
        ])
        try repo.commit("Refund: limit 500 EUR", by: .bob, at: "2024-03-02T16:30:00-05:00",
                        write: ["content/support/refund.md": sop(owner: "dana", steps: "1. Check the order.\n2. Refund up to 500 EUR.\n")])
        try repo.commit("Hand refunds to Erin", by: .carol, at: "2024-04-01T08:00:00+08:00",
                        write: ["content/support/refund.md": sop(owner: "erin", steps: "1. Check the order.\n2. Refund up to 500 EUR.\n")])
        try repo.commit("Move refunds to finance", by: .dave, at: "2024-05-01T10:00:00+00:00",
                        move: [("content/support/refund.md", "content/finance/refund.md")])
        try repo.commit("Tidy spacing", by: .alice, at: "2024-06-01T10:00:00+02:00",
                        write: ["content/finance/refund.md": sop(owner: "erin", steps: "1. Check the order.   \n\n\n2. Refund up to 500 EUR.\n")])
        let reformat = try repo.commit("Reformat lists", by: .bob, at: "2024-07-01T10:00:00+00:00",
                                       write: ["content/finance/refund.md": sop(owner: "erin", steps: "- Check the order.\n- Refund up to 500 EUR.\n")])
        try repo.commit("Ignore the list reformat", by: .carol, at: "2024-08-01T10:00:00+00:00",
                        write: [".git-blame-ignore-revs": "# bulk reformat\n\(reformat.hex)\n"])
        return repo
    }

    struct Line: Decodable, Equatable {
        let commit, date, author, kind, path, subject: String
        let revision: Int?
        let renamed_from: String?
    }

    struct Entry: Decodable {
        let path: String
        let commits: Int
        let revisions: Int
        let history: [Line]
    }

    func entries(_ json: String) throws -> [Entry] {
        try JSONDecoder().decode([Entry].self, from: Data(json.utf8))
    }

    /// `git log --follow --name-status` for `path`, as (commit, date, author, path, renamed from, subject).
    func gitLog(_ repo: GitFixture, _ path: String) throws -> [[String?]] {
        let text = try repo.git(["log", "--follow", "--name-status", "--format=%x01%H%x09%aI%x09%an%x09%s", "--", path])
        return text.split(separator: "\u{1}").map { block in
            let lines = block.split(separator: "\n").map(String.init)
            let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let status = lines.last!.split(separator: "\t").map(String.init)
            let renamed = status[0].hasPrefix("R")
            return [header[0], header[1], header[2], renamed ? status[2] : status[1], renamed ? status[1] : nil, header[3]]
        }
    }

    @Test("--json lists each commit with git log --follow's id, date, author, path and subject, and sopsite's kind and revision")
    func jsonMatchesGit() throws {
        let repo = try repository()
        let result = try sopsite(["log", "--no-cache", "--json", "content/finance/refund.md"], in: repo.path)
        #expect(result.status == 0, "\(result.errors)")
        let refund = try #require(try entries(result.output).first)
        #expect(refund.path == "content/finance/refund.md")
        #expect(refund.history.map(\.kind) == ["ignored", "whitespace", "unchanged", "metadata", "content", "created"])
        #expect(refund.history.map(\.revision) == [nil, nil, nil, nil, 2, 1])
        #expect(refund.commits == 6)
        #expect(refund.revisions == 2)
        if GitFixture.hasGitCommand {
            let ours = refund.history.map { [$0.commit, $0.date, $0.author, $0.path, $0.renamed_from, $0.subject] }
            #expect(ours == (try gitLog(repo, "content/finance/refund.md")))
        }
    }

    @Test("text: a header per SOP, then one line per commit with short id, date, revision, kind, author, path and subject")
    func textFormat() throws {
        let repo = try repository()
        let result = try sopsite(["log", "--no-cache"], in: repo.path)
        #expect(result.status == 0, "\(result.errors)")
        let blocks = result.output.components(separatedBy: "\n\n")
        #expect(blocks.count == 2)
        let lines = blocks[0].split(separator: "\n").map(String.init)
        #expect(lines.first == "content/finance/refund.md: 6 commits, 2 revisions")
        #expect(lines.count == 7)
        let move = try #require(lines.first { $0.contains("Move refunds to finance") })
        #expect(move.hasSuffix("content/finance/refund.md (from content/support/refund.md)  Move refunds to finance"))
        #expect(move.contains("2024-05-01T10:00:00+00:00"))
        #expect(move.split(separator: " ", omittingEmptySubsequences: true).map(String.init).prefix(3).last == "unchanged")
        let created = try #require(lines.last)
        #expect(created.split(separator: " ", omittingEmptySubsequences: true).map(String.init).prefix(5).map { $0 }
                == [String(created.prefix(10)), "2024-01-10T09:00:00+01:00", "Rev", "1", "created"])
        #expect(blocks[1].hasPrefix("content/support/escalate.md: 1 commit, 1 revision\n"))
    }

    @Test("a path is also found from the current folder and from the content folder, as page URLs show it")
    func relativePaths() throws {
        let repo = try repository()
        let top = try sopsite(["log", "--no-cache", "content/finance/refund.md"], in: repo.path)
        #expect(top.status == 0, "\(top.errors)")
        let fromContent = try sopsite(["log", "--no-cache", "finance/refund.md"], in: repo.path)
        #expect(fromContent.status == 0, "\(fromContent.errors)")
        #expect(fromContent.output == top.output)
        let fromFolder = try sopsite(["log", "--no-cache", "--repo", "../..", "refund.md"], in: repo.path + "/content/finance")
        #expect(fromFolder.status == 0, "\(fromFolder.errors)")
        #expect(fromFolder.output == top.output)
        // As the page's URL shows it (found by a fresh user's trial: `finance/refund` was refused).
        for url in ["finance/refund", "/finance/refund/"] {
            let fromURL = try sopsite(["log", "--no-cache", url], in: repo.path)
            #expect(fromURL.status == 0 && fromURL.output == top.output, "\(url): \(fromURL.errors)")
        }
        let typo = try sopsite(["log", "--no-cache", "finance/refnd.md"], in: repo.path)
        #expect(typo.status == 1)
        #expect(typo.errors.contains("the current folder or the content folder"))
    }

    @Test("revision_offset numbers the revisions as the page does, in text and JSON")
    func revisionOffset() throws {
        let repo = try GitFixture()
        let text = "---\nid: SOP-QA-001\ntitle: Calibrate\nrevision_offset: 4\n---\n# Calibrate\n\n1. Zero the scale.\n"
        try repo.commit("Import from paper", by: .alice, at: "2024-01-10T09:00:00+01:00", write: ["content/qa/calibrate.md": text])
        try repo.commit("Calibrate: weigh twice", by: .bob, at: "2024-02-10T09:00:00+01:00",
                        write: ["content/qa/calibrate.md": text + "2. Weigh twice.\n"])
        let result = try sopsite(["log", "--no-cache", "content/qa/calibrate.md"], in: repo.path)
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "content/qa/calibrate.md: 2 commits, 2 revisions (revision_offset 4: numbered from Rev 5, as on the page)")
        #expect(lines.dropFirst().map { $0.contains("Rev 6") } == [true, false])
        #expect(lines.dropFirst().map { $0.contains("Rev 5") } == [false, true])
        let json = try sopsite(["log", "--no-cache", "--json", "content/qa/calibrate.md"], in: repo.path)
        #expect(try entries(json.output).first?.history.map(\.revision) == [6, 5])
        #expect(json.output.contains("\"revision_offset\" : 4"))
    }

    @Test("revision_offset is read from the working tree as build reads it: not through a link that leads out of the repository")
    func revisionOffsetThroughLinks() throws {
        let repo = try GitFixture()
        let text = "---\nid: SOP-QA-001\ntitle: Calibrate\n---\n# Calibrate\n\n1. Zero the scale.\n"
        let offset = "---\nid: SOP-QA-002\ntitle: Weigh\nrevision_offset: 2\n---\n# Weigh\n\n1. Weigh twice.\n"
        try repo.commit("Add", by: .alice, at: "2024-01-10T09:00:00+01:00",
                        write: ["content/qa/calibrate.md": text, "content/qa/weigh.md": offset])
        let outside = try TemporaryDirectory()
        try "---\nid: SOP-QA-001\nrevision_offset: 9\n---\n".write(toFile: outside.path + "/calibrate.md", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: repo.path + "/content/qa/calibrate.md")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/content/qa/calibrate.md", withDestinationPath: outside.path + "/calibrate.md")
        let result = try sopsite(["log", "--no-cache", "content/qa"], in: repo.path)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("content/qa/calibrate.md: 1 commit, 1 revision\n"))
        #expect(result.output.contains("content/qa/weigh.md: 1 commit, 1 revision (revision_offset 2: numbered from Rev 3, as on the page)\n"))
    }

    @Test("a folder names every SOP in it; an old path, a missing file and an untracked file exit 1 and say what to type")
    func pathsAndProblems() throws {
        let repo = try repository()
        let folder = try sopsite(["log", "--no-cache", "--json", "content/support/"], in: repo.path)
        #expect(try entries(folder.output).map(\.path) == ["content/support/escalate.md"])

        let renamed = try sopsite(["log", "--no-cache", "content/support/refund.md"], in: repo.path)
        #expect(renamed.status == 1)
        #expect(renamed.errors.contains("content/support/refund.md has no history of its own at HEAD: it is content/finance/refund.md now"))
        #expect(renamed.errors.contains("sopsite log content/finance/refund.md"))

        let missing = try sopsite(["log", "--no-cache", "content/nope.md", "content/finance/refund.md"], in: repo.path)
        #expect(missing.status == 1)
        #expect(missing.errors.contains("there is no content/nope.md"))
        #expect(missing.output.hasPrefix("content/finance/refund.md: 6 commits"), "the histories found are still printed")

        try "# Draft\n".write(toFile: repo.path + "/content/support/draft.md", atomically: true, encoding: .utf8)
        let untracked = try sopsite(["log", "--no-cache", repo.path + "/content/support/draft.md"], in: repo.path)
        #expect(untracked.status == 1)
        #expect(untracked.errors.contains("content/support/draft.md has no history: it is not committed yet"))
        #expect(try sopsite(["log", "--repo", "/nonexistent/repo"], in: repo.path).status == 2)
    }

    @Test("--cache keeps the history facts build uses, and a run from the cache prints the same bytes")
    func cache() throws {
        let repo = try repository()
        let folder = try TemporaryDirectory(prefix: "sopsite-log-cache")
        let fresh = try sopsite(["log", "--no-cache", "--json"], in: repo.path)
        let filling = try sopsite(["log", "--cache", folder.path + "/cache", "--json"], in: repo.path)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/cache/history.txt"))
        let reading = try sopsite(["log", "--cache", folder.path + "/cache", "--json"], in: repo.path)
        #expect(fresh.status == 0)
        #expect(filling.output == fresh.output)
        #expect(reading.output == fresh.output)
    }
}
