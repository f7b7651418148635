import Foundation
import Git
import History
import SOPCore
import Testing
import TestSupport

/// Facts derived by the one-pass index, checked against `git log --follow` on the same repository.
@Suite struct HistoryIndexTests {
    /// The index's view of `path`, as the lines `git log --follow --format=%H%x09%an%x09%ae%x09%aI%x09%s` prints.
    func lines(_ history: DocumentHistory) -> [String] {
        history.commits.map { "\($0.id)\t\($0.authorName)\t\($0.authorEmail)\t\($0.authorTime.iso8601)\t\($0.subject)" }
    }

    @Test("renames, moves across process folders, an edit with a move, a merge and a re-created path match git log --follow")
    func storyMatchesGit() throws {
        let repo = try GitFixture()
        try repo.commit("Add refund SOP", by: .alice, at: "2021-01-10T09:00:00+01:00",
                        write: ["content/support/refund.md": "# Refund\n\n1. Check the order.\n2. Refund it.\n",
                                "content/support/escalate.md": "# Escalate\n\n1. Call the lead.\n",
                                "README.md": "outside content\n"])
        try repo.commit("Clarify refund limits", by: .bob, at: "2021-03-02T16:30:00-05:00",
                        write: ["content/support/refund.md": "# Refund\n\n1. Check the order.\n2. Refund up to 500 EUR.\n"])
        try repo.commit("Move refunds to finance", by: .carol, at: "2021-06-01T08:00:00+08:00",
                        move: [("content/support/refund.md", "content/finance/refund.md")])
        try repo.branch("feature")
        try repo.commit("Escalation: add paging", by: .dave, at: "2021-07-01T10:00:00+02:00",
                        write: ["content/support/escalate.md": "# Escalate\n\n1. Call the lead.\n2. Page on-call.\n"], on: "feature")
        try repo.commit("Refund: note VAT", by: .alice, at: "2021-07-02T10:00:00+00:00",
                        write: ["content/finance/refund.md": "# Refund\n\n1. Check the order.\n2. Refund up to 500 EUR.\n3. Note VAT.\n"])
        try repo.merge("feature", "Merge branch 'feature'", by: .bob, at: "2021-07-05T12:00:00+00:00")
        // A move with a small edit: still a rename at git's 50 % similarity.
        try repo.commit("Rename and retitle", by: .bob, at: "2022-01-15T11:00:00-08:00",
                        write: ["content/finance/process-a-refund.md": "# Process a refund\n\n1. Check the order.\n2. Refund up to 500 EUR.\n3. Note VAT.\n"],
                        move: [("content/finance/refund.md", "content/finance/process-a-refund.md")])
        try repo.commit("Retire old checklist", by: .carol, at: "2022-02-01T09:00:00+00:00",
                        write: ["content/support/checklist.md": "# Checklist\n\n- a\n"])
        try repo.commit("Remove checklist", by: .carol, at: "2022-03-01T09:00:00+00:00", delete: ["content/support/checklist.md"])
        try repo.commit("New checklist", by: .dave, at: "2022-04-01T09:00:00+00:00",
                        write: ["content/support/checklist.md": "# Completely different\n\nNew text entirely here.\n"])

        let index = try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content"))).value
        #expect(index.paths.map(\.value) == ["content/finance/process-a-refund.md", "content/support/checklist.md", "content/support/escalate.md"])
        for path in index.paths {
            let history = try #require(index[path])
            #expect(lines(history) == (try repo.gitLogFollow(path.value)), "\(path)")
        }
        let refund = try #require(index[RepoPath("content/finance/process-a-refund.md")])
        #expect(refund.commits.count == 5)
        #expect(refund.created.authorName == "Alice Adams")
        #expect(refund.created.authorTime.iso8601 == "2021-01-10T09:00:00+01:00")
        #expect(refund.lastChange.authorTime.iso8601 == "2022-01-15T11:00:00-08:00")
        #expect(refund.previousPaths.map(\.value) == ["content/finance/refund.md", "content/support/refund.md"])
        #expect(refund.contributors.map(\.name) == ["Alice Adams", "Bob Brown", "Carol Chen"])
        let escalate = try #require(index[RepoPath("content/support/escalate.md")])
        #expect(escalate.commits.map(\.subject) == ["Escalation: add paging", "Add refund SOP"])

        // The history cache (`--cache`): the same index from facts learned before, saved and read back, with nothing
        // computed again; extended by a new commit, only that commit's facts are computed.
        func described(_ index: HistoryIndex) -> [String] { index.paths.map { "\(index[$0]!.commits)" } }
        var cache = HistoryCache()
        #expect(described(try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content")), cache: &cache).value) == described(index))
        #expect(cache.computed > 0)
        var reread = try #require(HistoryCache(serialised: cache.serialised()))
        #expect(described(try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content")), cache: &reread).value) == described(index))
        #expect(reread.computed == 0)
        try repo.commit("Escalate: name the lead", by: .alice, at: "2022-05-01T09:00:00+00:00",
                        write: ["content/support/escalate.md": "# Escalate\n\n1. Call the lead, Ana.\n2. Page on-call.\n"])
        var extended = try #require(HistoryCache(serialised: reread.serialised()))
        let fresh = try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content"))).value
        #expect(described(try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content")), cache: &extended).value) == described(fresh))
        #expect(extended.computed == 2, "the new commit's changes and its one classification")
        #expect(HistoryCache(serialised: "sopsite-history-cache 1\nC\tnot-an-id\t0\n") == nil)
    }

    @Test("B02: a pure move keeps the history: 4 commits, created by Alice, last change by Dave")
    func fieldCaseB02() throws {
        let repo = try GitFixture()
        try repo.commit("add failover", by: .init("Alice", "alice@example.test"), at: "2020-02-03T10:00:00+00:00",
                        write: ["runbooks/db-failover.md": "# DB failover\n\nPromote replica.\n"])
        try repo.commit("lag check", by: .init("Bob", "bob@example.test"), at: "2020-06-01T11:00:00+01:00",
                        write: ["runbooks/db-failover.md": "# DB failover\n\nPromote replica.\nCheck lag first.\n"])
        try repo.commit("move", by: .init("Carol", "carol@example.test"), at: "2021-01-04T09:00:00+00:00",
                        move: [("runbooks/db-failover.md", "procedures/database/failover.md")])
        try repo.commit("notify", by: .init("Dave", "dave@example.test"), at: "2021-07-19T16:30:00-04:00",
                        write: ["procedures/database/failover.md": "# DB failover\n\nPromote replica.\nCheck lag first.\nNotify on-call.\n"])
        let history = try #require(try HistoryIndex.build(from: repo.repository).value[RepoPath("procedures/database/failover.md")])
        #expect(history.commits.count == 4)
        #expect(history.created.authorTime.iso8601 == "2020-02-03T10:00:00+00:00")
        #expect(history.created.authorName == "Alice")
        #expect(history.lastChange.authorTime.iso8601 == "2021-07-19T16:30:00-04:00")
        #expect(history.lastChange.authorName == "Dave")
        #expect(Set(history.contributors.map(\.name)) == ["Alice", "Bob", "Carol", "Dave"])
        if GitFixture.hasGitCommand { #expect(lines(history) == (try repo.gitLogFollow("procedures/database/failover.md"))) }
    }

    @Test("B03: non-ASCII paths keep their letters")
    func fieldCaseB03() throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .init("Alice", "alice@example.test"), at: "2022-09-01T08:00:00+02:00",
                        write: ["procédures/redémarrage.md": "# Redémarrage\n\nÉtape 1.\n", "手順/再起動.md": "# 再起動\n\n手順。\n",
                                "saluton.md": "# Saluton\n"])
        try repo.commit("edit", by: .init("Bob", "bob@example.test"), at: "2022-10-01T09:00:00+02:00",
                        write: ["procédures/redémarrage.md": "# Redémarrage\n\nÉtape 1.\nÉtape 2.\n", "手順/再起動.md": "# 再起動\n\n手順。\n二。\n"])
        let index = try HistoryIndex.build(from: repo.repository).value
        for path in ["procédures/redémarrage.md", "手順/再起動.md"] {
            let history = try #require(index[RepoPath(path)], "\(path)")
            #expect(history.commits.count == 2)
            #expect(history.created.authorTime.iso8601 == "2022-09-01T08:00:00+02:00")
            #expect(history.lastChange.authorName == "Bob")
            if GitFixture.hasGitCommand { #expect(lines(history) == (try repo.gitLogFollow(path))) }
        }
        #expect(index[RepoPath("saluton.md")]?.commits.count == 1)
    }

    @Test("B05: instants keep the author's own offset")
    func fieldCaseB05() throws {
        let repo = try GitFixture()
        try repo.commit("power", by: .alice, at: "2023-06-30T07:30:00+08:00", write: ["power.md": "# Power\n"])
        try repo.commit("checklist", by: .bob, at: "2023-01-01T00:30:00-05:00", write: ["checklist.md": "# Checklist\n"])
        let index = try HistoryIndex.build(from: repo.repository).value
        let power = try #require(index[RepoPath("power.md")])
        #expect(power.lastChange.authorTime.iso8601 == "2023-06-30T07:30:00+08:00")
        #expect(power.lastChange.authorTime.day(zoneOffsetSeconds: 0) == Day(2023, 6, 29))
        #expect(index[RepoPath("checklist.md")]?.lastChange.authorTime.iso8601 == "2023-01-01T00:30:00-05:00")
    }

    @Test("B14: a page copied from a template that still exists starts its own history")
    func fieldCaseB14() throws {
        let repo = try GitFixture()
        let template = "---\ntitle: TEMPLATE\nowner: TBD\n---\n# Purpose\n\n# Scope\n\n# Procedure\n\n1. \n\n# Verification\n"
        try repo.commit("add template", by: .init("Alice", "alice@example.test"), at: "2019-05-01T09:00:00+00:00",
                        write: ["templates/sop-template.md": template])
        try repo.commit("new SOP from template", by: .init("Bob", "bob@example.test"), at: "2024-02-01T15:00:00+01:00",
                        write: ["procedures/rotate-db-password.md": template.replacingOccurrences(of: "TEMPLATE", with: "Rotate DB password")])
        let index = try HistoryIndex.build(from: repo.repository).value
        let sop = try #require(index[RepoPath("procedures/rotate-db-password.md")])
        #expect(sop.commits.count == 1)
        #expect(sop.created.authorTime.iso8601 == "2024-02-01T15:00:00+01:00")
        #expect(sop.contributors.map(\.name) == ["Bob"])
        let templateHistory = try #require(index[RepoPath("templates/sop-template.md")])
        #expect(templateHistory.commits.count == 1)
        #expect(templateHistory.created.authorName == "Alice")
    }

    @Test("B15: the author and author date count, not the committer of a rebase")
    func fieldCaseB15() throws {
        let repo = try GitFixture()
        try repo.commit("comms", by: .init("Alice", "alice@example.test"), at: "2023-01-05T10:00:00+01:00", write: ["comms.md": "# Comms\n"])
        try repo.commit("update", by: .init("Bob", "bob@example.test"), at: "2023-03-01T10:00:00+01:00",
                        committer: .init("Carol", "carol@example.test"), committedAt: "2023-09-15T10:00:00+00:00",
                        write: ["comms.md": "# Comms\n\nMore.\n"])
        let history = try #require(try HistoryIndex.build(from: repo.repository).value[RepoPath("comms.md")])
        #expect(history.commits.count == 2)
        #expect(history.lastChange.authorName == "Bob")
        #expect(history.lastChange.authorTime.iso8601 == "2023-03-01T10:00:00+01:00")
        #expect(history.lastChange.committerTime.iso8601 == "2023-09-15T10:00:00+00:00")
    }

    @Test("a file re-created where another was moved away inherits the path's history, as git log --follow shows it")
    func recreatedAfterRenameAway() throws {
        let repo = try GitFixture()
        let text = "# CRC errors\n\nCheck the storage class.\nCheck the NIC.\nCheck the cables.\nCheck the switch.\n"
        try repo.commit("add", by: .alice, at: "2023-07-09T13:36:20+03:00", write: ["alerts/crc.md": text])
        try repo.commit("edit", by: .bob, at: "2023-10-24T14:50:12+03:00", write: ["alerts/crc.md": text + "Escalate.\n"])
        // The old file moves to deprecated/ unchanged; a near-copy starts under a new name.
        try repo.commit("rename alert", by: .carol, at: "2024-05-15T16:41:18-04:00",
                        write: ["alerts/storage-class.md": text + "Escalate!\n"],
                        move: [("alerts/crc.md", "alerts/deprecated/crc.md")])
        try repo.commit("move back", by: .dave, at: "2024-07-15T14:33:02+01:00",
                        write: ["alerts/crc.md": "# CRC errors\n\nThis alert was replaced; see the storage-class runbook.\n"],
                        delete: ["alerts/deprecated/crc.md"])
        let index = try HistoryIndex.build(from: repo.repository).value
        let crc = try #require(index[RepoPath("alerts/crc.md")])
        #expect(crc.commits.map(\.subject) == ["move back", "rename alert", "edit", "add"])
        if GitFixture.hasGitCommand { #expect(lines(crc) == (try repo.gitLogFollow("alerts/crc.md"))) }
        // git --follow, looking at one path at a time, lets storage-class.md claim crc.md as its source too; sopsite
        // gives each deleted file to its best match only (here the exact move to deprecated/), so this page is new.
        let storage = try #require(index[RepoPath("alerts/storage-class.md")])
        #expect(storage.commits.map(\.subject) == ["rename alert"])
    }

    @Test("a long history read by one thread and by several gives the same index, and matches git log --follow")
    func parallelWorkersAgree() throws {
        let repo = try GitFixture()
        // 240 commits over 12 SOPs: body edits, front-matter edits, whitespace, moves between folders and a merge, so
        // the commits and the blob pairs to classify span many chunks of the parallel steps.
        var random: UInt64 = 42
        func next(_ bound: Int) -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int((random >> 33) % UInt64(bound))
        }
        var paths = (0..<12).map { "content/p\($0 % 3)/sop-\($0).md" }
        var bodies = (0..<12).map { "Step one of \($0).\nStep two.\n" }
        var owners = Array(repeating: "dana", count: 12)
        func text(_ index: Int) -> String { "---\nowner: \(owners[index])\n---\n# SOP \(index)\n\n" + bodies[index] }
        try repo.commit("Add SOPs", by: .alice, at: "2020-01-01T09:00:00+00:00",
                        write: Dictionary(uniqueKeysWithValues: (0..<12).map { (paths[$0], text($0)) }))
        let people: [GitFixture.Person] = [.alice, .bob, .carol, .dave]
        for step in 1...240 {
            let index = next(12), date = "2020-\(String(format: "%02d", 1 + step / 24))-\(String(format: "%02d", 1 + step % 24))T10:00:00+02:00"
            if step == 120 { try repo.branch("side") }
            let branch = step > 120 && step <= 130 ? "side" : "main"
            if step == 131 {
                try repo.merge("side", "Merge side", by: .bob, at: date)
                continue
            }
            switch next(4) {
            case 0: bodies[index] += "Step \(step).\n"
            case 1: owners[index] = ["dana", "erin", "femi"][next(3)]
            case 2: bodies[index] = bodies[index].replacingOccurrences(of: ".\n", with: ".  \n")
            default:
                if branch == "main" {
                    let old = paths[index]
                    paths[index] = "content/p\(next(3))/moved-\(step)-\(index).md"
                    try repo.commit("Move SOP \(index)", by: people[step % 4], at: date, move: [(old, paths[index])])
                    continue
                }
                bodies[index] += "Side step \(step).\n"
            }
            if branch == "side" && index % 2 == 0 { continue }
            try repo.commit("Change SOP \(index) (\(step))", by: people[step % 4], at: date, write: [paths[index]: text(index)], on: branch)
        }
        func described(_ index: HistoryIndex) -> [String] { index.paths.map { "\($0): \(index[$0]!.commits)" } }
        var one = HistoryIndex.Options(folder: RepoPath("content"))
        one.workers = 1
        var several = HistoryIndex.Options(folder: RepoPath("content"))
        several.workers = 3
        let single = try HistoryIndex.build(from: repo.repository, options: one).value
        let parallel = try HistoryIndex.build(from: repo.repository, options: several).value
        #expect(single.paths.count == 12)
        #expect(described(single) == described(parallel))
        #expect(Set(single.paths.flatMap { single[$0]!.commits.map(\.kind) }).isSuperset(of: [.created, .content, .metadata, .whitespace, .unchanged]))
        if GitFixture.hasGitCommand {
            for path in parallel.paths { #expect(lines(parallel[path]!) == (try repo.gitLogFollow(path.value)), "\(path)") }
        }
    }

    @Test("a repository without commits gives an empty index and a warning")
    func emptyRepository() throws {
        let repo = try GitFixture()
        let result = try HistoryIndex.build(from: repo.repository)
        #expect(result.value.paths.isEmpty)
        #expect(result.diagnostics.map(\.code) == ["history.no-commits"])
    }
}
