import Foundation
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// Nothing lost (issue #10): a failed build changes nothing, a killed build is cleaned up by the next one, and the
/// output folder can never be a place whose replacement would destroy the writer's files. (kill -9 of the real
/// binary is in CLITests.)
@Suite struct OutputSafetyTests {
    func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": "---\ntitle: Operations\n---\nWhy.\n",
            "content/ops/restart.md": "---\nid: SOP-1\ntitle: Restart\n---\n## Steps\n\n1. Drain.\n",
            "content/ops/logo.png": "PNG",
        ])
        return repo
    }

    func run(_ repo: GitFixture, output: String, force: Bool = false) async -> BuildReport {
        await BuildPipeline.run(BuildRequest(repository: repo.path, content: "content", output: output, now: .day(Day(2025, 6, 1)), force: force))
    }

    /// Every file under `folder` with its bytes, and every folder, by relative path.
    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder)?.allObjects ?? [] {
            files[path] = FileManager.default.contents(atPath: folder + "/" + path) ?? Data("<folder>".utf8)
        }
        return files
    }

    @Test("a failed build leaves every byte of the previous site as it was, and no staging folder behind")
    func failedBuildKeepsSite() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let site = out.path + "/site"
        #expect(await run(repo, output: site).succeeded)
        let before = Self.snapshot(site)
        #expect(before.count > 10)
        try repo.commit("Break it", by: .bob, at: "2025-02-10T09:00:00+00:00", write: [
            "content/ops/restart.md": "---\nid: SOP-1\ntitle: Restart\nreview_interval: soon\n---\nChanged.\n",
            "content/ops/new.md": "---\ntitle: [unclosed\n---\n",
        ])
        let failed = await run(repo, output: site)
        #expect(failed.diagnostics.filter { $0.severity == .error }.map { "\($0.location) \($0.code)" }
                == ["content/ops/new.md:2 front-matter.yaml", "content/ops/restart.md:4 front-matter.review-interval"])
        #expect(Self.snapshot(site) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["site"])
    }

    @Test("--out may not be the repository, its .git, the content folder, inside them, above them, or a link to them", arguments: [
        "", "/.git", "/.git/objects", "/content", "/content/ops", "/content/site", "/..", "/link-to-repo", "/link-to-content",
        "/link-to-repo/content",
    ])
    func unsafeOutputs(relative: String) async throws {
        let repo = try repository()
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link-to-repo", withDestinationPath: repo.path)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link-to-content", withDestinationPath: "content")
        let before = Self.snapshot(repo.path + "/content")
        // --force never overrides these: each would destroy the writer's files or the repository itself.
        let report = await run(repo, output: repo.path + relative, force: true)
        #expect(report.diagnostics.map(\.code) == ["output.unsafe"], "\(relative)")
        #expect(Self.snapshot(repo.path + "/content") == before)
        #expect(FileManager.default.fileExists(atPath: repo.path + "/.git/HEAD"))
    }

    @Test("--out that is a file, or a foreign non-empty folder without --force, is refused and left as it was")
    func foreignOutputs() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        try out.write("file", "mine")
        #expect(await run(repo, output: out.path + "/file").diagnostics.map(\.code) == ["output.not-a-folder"])
        try out.write("folder/keep.txt", "mine")
        #expect(await run(repo, output: out.path + "/folder").diagnostics.map(\.code) == ["output.not-ours"])
        #expect(try String(contentsOfFile: out.path + "/folder/keep.txt", encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: out.path + "/file", encoding: .utf8) == "mine")
        #expect(await run(repo, output: out.path + "/folder", force: true).succeeded)
        #expect(FileManager.default.fileExists(atPath: out.path + "/folder/ops/restart/index.html"))
    }

    @Test("the next build clears what a killed build left: its staging folder goes, a retired site comes back first")
    func interruptedBuildsRecovered() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let site = out.path + "/site"
        #expect(await run(repo, output: site).succeeded)
        // A process id that no longer runs: a child that has exited.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exit 0"]
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let manager = FileManager.default
        // Killed between the fallback's two renames: the previous site sits retired and the output is missing.
        try manager.moveItem(atPath: site, toPath: site + ".sopsite-old-\(dead)")
        try out.write("site.sopsite-staging-\(dead)/half.html", "half-written")
        // A build still running (process 1 always is) keeps its staging folder.
        try out.write("site.sopsite-staging-1/running.html", "in progress")
        #expect(await run(repo, output: site).succeeded)
        #expect(try manager.contentsOfDirectory(atPath: out.path).sorted() == ["site", "site.sopsite-staging-1"])
        #expect(manager.fileExists(atPath: site + "/ops/restart/index.html"))
        #expect(!manager.fileExists(atPath: site + "/half.html"))
    }
}
