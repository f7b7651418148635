import Foundation
import Git
import SOPCore

/// Builds a real Git repository in a temporary folder, commit by commit, through libgit2 (`git_commit_create`):
/// explicit authors and committers, back-dated times in any UTC offset, renames, deletes, branches and merges.
/// The working tree follows `main`, so a build of the fixture reads the same files Git holds.
public final class GitFixture: @unchecked Sendable {
    // @unchecked: a fixture belongs to one test and is used from one task.
    public let directory: TemporaryDirectory
    public var path: String { directory.path }
    public let repository: Repository

    private struct Branch {
        var tip: ObjectID?
        var files: [RepoPath: [UInt8]]
        var forkFiles: [RepoPath: [UInt8]]
    }
    private var branches: [String: Branch] = ["main": Branch(tip: nil, files: [:], forkFiles: [:])]

    public struct Person: Sendable {
        public let name: String
        public let email: String
        public init(_ name: String, _ email: String) {
            self.name = name
            self.email = email
        }
        public static let alice = Person("Alice Adams", "alice@example.test")
        public static let bob = Person("Bob Brown", "bob@example.test")
        public static let carol = Person("Carol Chen", "carol@example.test")
        public static let dave = Person("Dave Díaz", "dave@example.test")
    }

    public init() throws {
        directory = try TemporaryDirectory(prefix: "sopsite-repo")
        repository = try Repository.create(at: directory.path)
    }

    /// Commits on `branch`: writes, deletes and moves files, then records a commit dated `at` (ISO 8601 with offset).
    /// - Parameters:
    ///   - committer: defaults to the author; `committedAt` defaults to `at` (set both to model a rebase).
    @discardableResult
    public func commit(_ message: String, by author: Person, at date: String, committer: Person? = nil, committedAt: String? = nil,
                       write: [String: String] = [:], delete: [String] = [], move: [(from: String, to: String)] = [],
                       on branch: String = "main") throws -> ObjectID {
        var state = try require(branches[branch], "no branch \(branch)")
        for (from, to) in move {
            let bytes = try require(state.files.removeValue(forKey: RepoPath(from)), "nothing at \(from) to move")
            state.files[RepoPath(to)] = bytes
        }
        for (path, text) in write { state.files[RepoPath(path)] = Array(text.utf8) }
        for path in delete { state.files[RepoPath(path)] = nil }
        let id = try record(message, author: author, date: date, committer: committer, committedAt: committedAt,
                            files: state.files, parents: state.tip.map { [$0] } ?? [], branch: branch)
        state.tip = id
        branches[branch] = state
        if branch == "main" { try syncWorkingTree(state.files) }
        return id
    }

    /// Starts `name` at `base`'s tip.
    public func branch(_ name: String, from base: String = "main") throws {
        let state = try require(branches[base], "no branch \(base)")
        branches[name] = Branch(tip: state.tip, files: state.files, forkFiles: state.files)
    }

    /// Merges `branch` into `target` with a real two-parent merge commit. The merged tree is `target`'s files with
    /// every path that `branch` changed since it forked taken from `branch` (a clean merge), then `write` applied.
    @discardableResult
    public func merge(_ branch: String, into target: String = "main", _ message: String, by author: Person, at date: String,
                      write: [String: String] = [:]) throws -> ObjectID {
        let side = try require(branches[branch], "no branch \(branch)")
        var state = try require(branches[target], "no branch \(target)")
        for path in Set(side.files.keys).union(side.forkFiles.keys) where side.files[path] != side.forkFiles[path] {
            state.files[path] = side.files[path]
        }
        // Files written by hand in the merge itself (a conflict resolution, or an "evil" merge).
        for (path, text) in write { state.files[RepoPath(path)] = Array(text.utf8) }
        let parents = [state.tip, side.tip].compactMap { $0 }
        let id = try record(message, author: author, date: date, committer: nil, committedAt: nil, files: state.files,
                            parents: parents, branch: target)
        state.tip = id
        branches[target] = state
        if target == "main" { try syncWorkingTree(state.files) }
        return id
    }

    private func record(_ message: String, author: Person, date: String, committer: Person?, committedAt: String?,
                        files: [RepoPath: [UInt8]], parents: [ObjectID], branch: String) throws -> ObjectID {
        let authorTime = try require(Instant(iso8601: date), "bad date \(date)")
        let committerTime = try require(Instant(iso8601: committedAt ?? date), "bad date \(committedAt ?? date)")
        let committer = committer ?? author
        let id = try repository.commit(files: files, message: message.hasSuffix("\n") ? message : message + "\n",
                                       author: Signature(name: author.name, email: author.email, time: authorTime),
                                       committer: Signature(name: committer.name, email: committer.email, time: committerTime),
                                       parents: parents, reference: nil)
        try repository.setReference("refs/heads/\(branch)", to: id)
        return id
    }

    private var written: Set<RepoPath> = []

    private func syncWorkingTree(_ files: [RepoPath: [UInt8]]) throws {
        let manager = FileManager.default
        for old in written where files[old] == nil {
            try? manager.removeItem(atPath: path + "/" + old.value)
            // Folders left empty go too, as Git leaves none behind (a file may take a folder's name next).
            // (Cut by hand: Foundation's deletingLastPathComponent trapped on a one-component path.)
            var folder = Substring(old.value)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard rmdir(path + "/" + folder) == 0 else { break }
            }
        }
        for (file, bytes) in files {
            let url = URL(fileURLWithPath: path + "/" + file.value)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        written = Set(files.keys)
    }

    /// What the `git` command line says (the oracle; the product never runs `git`): `git log --follow` for `path`,
    /// one line per commit in `format`.
    public func gitLogFollow(_ path: String, format: String = "%H%x09%an%x09%ae%x09%aI%x09%s") throws -> [String] {
        try git(["log", "--follow", "--format=" + format, "--", path])
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Runs `git` in the repository and returns its standard output.
    public func git(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("git \(arguments.joined(separator: " ")) failed") }
        return String(decoding: data, as: UTF8.self)
    }

    /// True when the `git` command line is installed, so oracle comparisons can run.
    public static var hasGitCommand: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/git") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/git")
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `#require`-like unwrapping for fixture code, which cannot import Testing's macros into a library target.
func `require`<T>(_ value: T?, _ message: @autoclosure () -> String) throws -> T {
    guard let value else { throw FixtureError(message()) }
    return value
}
