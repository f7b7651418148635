import Foundation
import Git
import SOPCore
import Testing
import TestSupport

@Suite struct RepositoryTests {
    @Test("a commit's tree read from its header is the tree libgit2 parses; a blob's content is its bytes; other objects are refused")
    func rawReads() throws {
        let repo = try GitFixture()
        let first = try repo.commit("add", by: .alice, at: "2024-01-01T10:00:00+00:00", write: ["a.md": "one\r\n"])
        let second = try repo.commit("edit", by: .bob, at: "2024-02-01T10:00:00+00:00", write: ["a.md": "two\n"])
        for commit in [first, second] {
            #expect(try repo.repository.treeOfCommit(commit) == repo.repository.treeID(of: commit))
        }
        let blob = ObjectID.blob(hashing: Array("one\r\n".utf8))
        #expect(try repo.repository.blobContent(blob).withBytes { Array($0) } == Array("one\r\n".utf8))
        #expect(throws: GitError.self) { try repo.repository.treeOfCommit(blob) }
        #expect(throws: GitError.self) { try repo.repository.blobContent(second) }
    }

    @Test("a pure move is one rename; a copy whose source stays is an add")
    func renamesAndCopies() throws {
        let repo = try GitFixture()
        let text = "# Failover\n\nPromote the replica.\nCheck the lag.\n"
        let first = try repo.commit("add", by: .alice, at: "2024-01-01T10:00:00+00:00", write: ["a/failover.md": text])
        let moved = try repo.commit("move", by: .bob, at: "2024-02-01T10:00:00+00:00", move: [("a/failover.md", "b/failover.md")])
        let copied = try repo.commit("copy", by: .bob, at: "2024-03-01T10:00:00+00:00", write: ["c/copy.md": text])
        let changes = try repo.repository.changes(in: moved, parent: first)
        #expect(changes == [FileChange(path: RepoPath("b/failover.md"), kind: .renamed(from: RepoPath("a/failover.md"), similarity: 100),
                                       oldBlob: ObjectID.blob(hashing: Array(text.utf8)), newBlob: ObjectID.blob(hashing: Array(text.utf8)))])
        let copy = try repo.repository.changes(in: copied, parent: moved)
        #expect(copy.map(\.kind) == [.added])
    }

    @Test("tree comparison: a file replaced by a folder of the same name, names that sort around a folder, nested edits")
    func treeComparison() throws {
        let repo = try GitFixture()
        let first = try repo.commit("add", by: .alice, at: "2024-01-01T10:00:00+00:00",
                                    write: ["a": "file\n", "a.md": "1\n", "a-b/x.md": "x\n", "b/c/d.md": "d\n", "b/e.md": "e\n"])
        // Git sorts a folder's name as if it ended in "/": "a-b/" < "a.md" < "a/" (a folder) while "a" (a file) < "a-b".
        let second = try repo.commit("replace", by: .bob, at: "2024-02-01T10:00:00+00:00",
                                     write: ["a/inside.md": "in\n", "b/c/d.md": "d2\n"], delete: ["a"])
        let changes = try repo.repository.changes(in: second, parent: first)
        #expect(changes.map { "\($0.kind) \($0.path.value)" } == ["deleted a", "added a/inside.md", "modified b/c/d.md"])
        if GitFixture.hasGitCommand {
            #expect(try repo.git(["diff-tree", "-r", "--name-status", "--no-renames", first.hex, second.hex])
                    == "D\ta\nA\ta/inside.md\nM\tb/c/d.md\n")
        }
        let root = try repo.repository.changes(in: first, parent: nil)
        #expect(root.map(\.path.value) == ["a", "a-b/x.md", "a.md", "b/c/d.md", "b/e.md"])
        #expect(root.allSatisfy { $0.kind == .added && $0.oldBlob == nil && $0.newBlob != nil })
    }

    @Test("a folder of 300 files: a file added first, one edited in the middle, one deleted last, as git diff-tree lists them")
    func largeFolder() throws {
        let repo = try GitFixture()
        let files = Dictionary(uniqueKeysWithValues: (0..<300).map { (String(format: "f/%03d.md", $0), "version 1 of \($0)\n") })
        let first = try repo.commit("add", by: .alice, at: "2024-01-01T10:00:00+00:00", write: files)
        let second = try repo.commit("edit", by: .bob, at: "2024-02-01T10:00:00+00:00",
                                     write: ["f/150.md": "version 2\n", "f/000-new.md": "new\n"], delete: ["f/299.md"])
        let changes = try repo.repository.changes(in: second, parent: first)
        #expect(changes.map { "\($0.kind) \($0.path.value)" } == ["added f/000-new.md", "modified f/150.md", "deleted f/299.md"])
        if GitFixture.hasGitCommand {
            #expect(try repo.git(["diff-tree", "-r", "--name-status", first.hex, second.hex]) == "A\tf/000-new.md\nM\tf/150.md\nD\tf/299.md\n")
        }
    }

    @Test("the walk lists every commit, newest first, with author and committer facts")
    func walk() throws {
        let repo = try GitFixture()
        try repo.commit("one", by: .alice, at: "2024-01-01T10:00:00+02:00", write: ["x.md": "1\n"])
        let tip = try repo.commit("two\n\nBody text.", by: .bob, at: "2024-01-02T10:00:00-07:00", committer: .carol,
                                  committedAt: "2024-05-01T00:00:00+00:00", write: ["x.md": "2\n"])
        let commits = try repo.repository.walk(from: tip)
        #expect(commits.map(\.subject) == ["two", "one"])
        #expect(commits[0].author.name == "Bob Brown")
        #expect(commits[0].author.time.iso8601 == "2024-01-02T10:00:00-07:00")
        #expect(commits[0].committer.name == "Carol Chen")
        if GitFixture.hasGitCommand { #expect(try repo.git(["rev-parse", "HEAD"]).hasPrefix(tip.hex)) }
    }

    @Test("opening a folder that is not a repository says so and what to do")
    func notARepository() throws {
        let folder = try TemporaryDirectory()
        #expect {
            try Repository.open(at: folder.path)
        } throws: { error in
            (error as? GitError)?.message.contains("is not a Git repository") == true
        }
    }

    @Test("blob ids match git hash-object")
    func blobHash() throws {
        // printf 'hello\n' | git hash-object --stdin
        #expect(ObjectID.blob(hashing: Array("hello\n".utf8)).hex == "ce013625030ba8dba906f756967f9e9ca394464a")
    }
}
