import Git
import History
import SOPCore
import Testing
import TestSupport

/// Each kind of commit, classified for document control.
@Suite struct ClassificationTests {
    func sop(_ id: String, owner: String = "dana", steps: [String], extra: String = "") -> String {
        "---\nid: \(id)\nowner: \(owner)\n\(extra)---\n# Refund\n\n## Steps\n\n"
            + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n") + "\n"
    }

    func kinds(_ history: DocumentHistory) -> [ChangeKind] { history.commits.map(\.kind) }

    @Test("a front-matter-only commit is a metadata change: recorded, not a revision")
    func frontMatterOnly() throws {
        let repo = try GitFixture()
        try repo.commit("Add refund SOP", by: .alice, at: "2025-01-10T09:00:00+01:00",
                        write: ["support/refund.md": sop("SOP-CS-004", steps: ["Check the order."])])
        try repo.commit("Hand over to Bob", by: .bob, at: "2025-02-03T16:30:00Z",
                        write: ["support/refund.md": sop("SOP-CS-004", owner: "bob", steps: ["Check the order."])])
        let refund = try #require(try HistoryIndex.build(from: repo.repository).value[RepoPath("support/refund.md")])
        #expect(kinds(refund) == [.metadata, .created])
        #expect(refund.revisionCount == 1)
        #expect(refund.lastRevision?.authorTime.iso8601 == "2025-01-10T09:00:00+01:00")
        #expect(refund.lastChange.authorTime.iso8601 == "2025-02-03T16:30:00+00:00")
    }

    @Test("whitespace-only commits (blank lines, trailing spaces, indentation, CRLF) are neither revision nor review")
    func whitespaceOnly() throws {
        let repo = try GitFixture()
        let text = sop("SOP-1", steps: ["Check.", "Refund."])
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["a.md": text])
        try repo.commit("tidy", by: .bob, at: "2025-02-10T09:00:00+00:00",
                        write: ["a.md": text.replacingOccurrences(of: "\n\n", with: "\n\n\n").replacingOccurrences(of: "Check.", with: "Check.   ")])
        try repo.commit("crlf", by: .carol, at: "2025-03-10T09:00:00+00:00",
                        write: ["a.md": text.replacingOccurrences(of: "\n", with: "\r\n")])
        let history = try #require(try HistoryIndex.build(from: repo.repository).value[RepoPath("a.md")])
        #expect(kinds(history) == [.whitespace, .whitespace, .created])
        #expect(history.revisionCount == 1)
    }

    @Test("an edit after many unchanged lines is classified as if the texts were compared from their first line")
    func editAfterCommonLines() throws {
        let repo = try GitFixture()
        let steps = (1...40).map { "Step \($0): check the order and the account." }
        let text = sop("SOP-1", steps: steps)
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["a.md": text])
        // Trailing spaces on the last step only: the lines before it are the same bytes.
        try repo.commit("tidy", by: .bob, at: "2025-02-10T09:00:00+00:00",
                        write: ["a.md": text.replacingOccurrences(of: "Step 40: check the order and the account.", with: "Step 40: check the order and the account.  ")])
        // A word changed in the middle of a line whose start is unchanged.
        try repo.commit("edit", by: .carol, at: "2025-03-10T09:00:00+00:00",
                        write: ["a.md": text.replacingOccurrences(of: "Step 40: check the order and the account.", with: "Step 40: check the order and the accounts.")])
        // A blank line added between two unchanged lines, and an indented line.
        try repo.commit("space", by: .alice, at: "2025-04-10T09:00:00+00:00",
                        write: ["a.md": text.replacingOccurrences(of: "\n21. ", with: "\n\n   21. ")
                            .replacingOccurrences(of: "Step 40: check the order and the account.", with: "Step 40: check the order and the accounts.")])
        let history = try #require(try HistoryIndex.build(from: repo.repository).value[RepoPath("a.md")])
        #expect(kinds(history) == [.whitespace, .content, .whitespace, .created])
    }

    @Test("a bulk reformat that changes list markers is a content change; one listed in the ignore-revs file is ignored")
    func reformatAndIgnoreRevs() throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00",
                        write: ["a.md": "# A\n\n* one\n* two\n", "b.md": "# B\n\n* one\n"])
        let reformat = try repo.commit("reformat lists", by: .bob, at: "2025-02-10T09:00:00+00:00",
                                       write: ["a.md": "# A\n\n- one\n- two\n", "b.md": "# B\n\n- one\n"])
        let plain = try HistoryIndex.build(from: repo.repository).value
        #expect(plain[RepoPath("a.md")].map(kinds) == [.content, .created])
        let ignoring = try HistoryIndex.build(from: repo.repository, options: .init(ignoredRevisions: [reformat.hex])).value
        #expect(ignoring[RepoPath("a.md")].map(kinds) == [.ignored, .created])
        #expect(ignoring[RepoPath("b.md")]?.revisionCount == 1)
        // A file created by an ignored commit (a bulk import) exists: revision 1, but no review.
        let imported = try GitFixture()
        let importCommit = try imported.commit("import from the wiki", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["a.md": "# A\n"])
        let importIndex = try HistoryIndex.build(from: imported.repository, options: .init(ignoredRevisions: [importCommit.hex])).value
        let importedA = try #require(importIndex[RepoPath("a.md")])
        #expect(kinds(importedA) == [.created])
        #expect(importedA.revisionCount == 1)
        #expect(importedA.commits.first?.isReview == false)
        let parsed = HistoryIndex.ignoredRevisions(in: "# bulk reformat\n\(reformat.hex)\nnot-an-id\n", path: RepoPath(".git-blame-ignore-revs"))
        #expect(parsed.value == [reformat.hex])
        #expect(parsed.diagnostics.map { $0.location.line } == [3])
    }

    @Test("a pure move is neither; a move across processes with a body edit is a revision; a move with only front matter is metadata")
    func moves() throws {
        let repo = try GitFixture()
        let text = sop("SOP-1", steps: ["Check the order number.", "Refund the full amount.", "Tell the customer."])
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["support/a.md": text, "support/b.md": text + "\nB\n",
                                                                                    "support/c.md": text + "\nC\n"])
        try repo.commit("moves", by: .bob, at: "2025-02-10T09:00:00+00:00",
                        write: ["finance/b.md": text + "\nB\n4. File the receipt.\n",
                                "finance/c.md": (text + "\nC\n").replacingOccurrences(of: "owner: dana", with: "owner: bob")],
                        move: [("support/a.md", "finance/a.md"), ("support/b.md", "finance/b.md"), ("support/c.md", "finance/c.md")])
        let index = try HistoryIndex.build(from: repo.repository).value
        #expect(index[RepoPath("finance/a.md")].map(kinds) == [.unchanged, .created])
        #expect(index[RepoPath("finance/b.md")].map(kinds) == [.content, .created])
        #expect(index[RepoPath("finance/c.md")].map(kinds) == [.metadata, .created])
        #expect(index[RepoPath("finance/a.md")]?.commits.first?.renamedFrom == RepoPath("support/a.md"))
        for path in ["finance/a.md", "finance/b.md", "finance/c.md"] where GitFixture.hasGitCommand {
            #expect(index[RepoPath(path)]?.commits.map(\.id) == (try repo.gitLogFollow(path, format: "%H")), "\(path)")
        }
    }

    @Test("a Reviewed: trailer records a review of one or two SOPs without an edit, with reviewer and note")
    func reviewTrailers() throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["a.md": "# A\n", "b.md": "# B\n"])
        try repo.commit("Quarterly review of refunds\n\nChecked every step against the new Stripe dashboard.\n\nReviewed: SOP-A, SOP-B\nReviewed-by: Carol Chen <carol@example.test>",
                        by: .bob, at: "2025-04-01T10:00:00+02:00", write: ["notes.txt": "reviewed\n"])
        try repo.commit("Review of A\n\nReviewed: SOP-A", by: .dave, at: "2025-05-01T10:00:00+00:00", write: ["notes.txt": "again\n"])
        let index = try HistoryIndex.build(from: repo.repository).value
        #expect(index.reviewTrailers.count == 2)
        let newest = try #require(index.reviewTrailers.first)
        #expect(newest.ids == ["SOP-A"])
        #expect(newest.reviewerName == "Dave Díaz")
        let quarterly = try #require(index.reviewTrailers.last)
        #expect(quarterly.ids == ["SOP-A", "SOP-B"])
        #expect(quarterly.reviewerName == "Carol Chen")
        #expect(quarterly.time.iso8601 == "2025-04-01T10:00:00+02:00")
        #expect(quarterly.note == "Checked every step against the new Stripe dashboard.")
        // A trailer is not a commit of the file: git log --follow does not list it.
        #expect(index[RepoPath("a.md")]?.commits.count == 1)
    }

    @Test(".mailmap merges two identities of one person in authors, contributors and reviewers")
    func mailmap() throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .init("alice", "alice@old.example"), at: "2025-01-10T09:00:00+00:00",
                        write: [".mailmap": "Alice Adams <alice@example.test> alice <alice@old.example>\n", "a.md": "# A\n\nOne.\n"])
        try repo.commit("edit", by: .alice, at: "2025-02-10T09:00:00+00:00", write: ["a.md": "# A\n\nOne.\nTwo.\n"])
        try repo.commit("review\n\nReviewed: SOP-A\nReviewed-by: alice <alice@old.example>", by: .bob, at: "2025-03-10T09:00:00+00:00",
                        write: ["x.txt": "x\n"])
        let index = try HistoryIndex.build(from: repo.repository).value
        let history = try #require(index[RepoPath("a.md")])
        #expect(history.contributors.map(\.name) == ["Alice Adams"])
        #expect(history.contributors.first?.commits == 2)
        #expect(history.created.authorEmail == "alice@example.test")
        #expect(index.reviewTrailers.first?.reviewerName == "Alice Adams")
    }

    @Test("a clean merge adds no entry; a merge that changes the file relative to every parent does, as in git log --follow")
    func merges() throws {
        let repo = try GitFixture()
        try repo.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["a.md": "# A\n\nOne.\n", "b.md": "# B\n\nOne.\n"])
        try repo.branch("feature")
        try repo.commit("feature edit", by: .bob, at: "2025-02-10T09:00:00+00:00", write: ["a.md": "# A\n\nOne.\nTwo.\n"], on: "feature")
        try repo.commit("main edit", by: .carol, at: "2025-02-11T09:00:00+00:00", write: ["b.md": "# B\n\nOne.\nMain.\n"])
        try repo.merge("feature", "Merge feature", by: .dave, at: "2025-02-12T09:00:00+00:00")
        let index = try HistoryIndex.build(from: repo.repository).value
        #expect(index[RepoPath("a.md")]?.commits.map(\.subject) == ["feature edit", "add"])
        if GitFixture.hasGitCommand {
            #expect(index[RepoPath("a.md")]?.commits.map(\.id) == (try repo.gitLogFollow("a.md", format: "%H")))
        }

        // An "evil" merge: the merge commit itself changes b.md to something neither parent had.
        let evil = try GitFixture()
        try evil.commit("add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["b.md": "# B\n\nOne.\n"])
        try evil.branch("feature")
        try evil.commit("feature edit", by: .bob, at: "2025-02-10T09:00:00+00:00", write: ["b.md": "# B\n\nOne.\nFeature.\n"], on: "feature")
        try evil.commit("main edit", by: .carol, at: "2025-02-11T09:00:00+00:00", write: ["c.md": "# C\n"])
        try evil.merge("feature", "Merge feature, resolving by hand", by: .dave, at: "2025-02-12T09:00:00+00:00",
                       write: ["b.md": "# B\n\nOne.\nFeature.\nResolved by hand.\n"])
        let history = try #require(try HistoryIndex.build(from: evil.repository).value[RepoPath("b.md")])
        // `git log -- b.md` lists the merge too (`--follow` omits it); it is a revision of its own.
        #expect(history.commits.map(\.subject) == ["Merge feature, resolving by hand", "feature edit", "add"])
        #expect(history.commits.first?.isMerge == true)
        #expect(history.revisionCount == 3)
        if GitFixture.hasGitCommand {
            #expect(history.commits.map(\.id) == (try evil.git(["log", "--format=%H", "--", "b.md"]).split(separator: "\n").map(String.init)))
        }
    }
}
