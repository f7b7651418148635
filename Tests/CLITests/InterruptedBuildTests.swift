import Foundation
import Testing
import TestSupport

/// Nothing lost, with the real binary (issue #10): `kill -9` at any moment of a build leaves the previous site or the
/// new one whole, never a mixture or nothing; `--out` refuses `/` and the home folder.
@Suite struct InterruptedBuildTests {
    /// The `sopsite` built next to this test binary (or in the usual build folders).
    static var binary: URL {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sopsite")]
            + [".build-bad", ".build"].map {
                URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../\($0)/debug/sopsite").standardizedFileURL
            }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    func start(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func sopsite(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> Int32 {
        let process = try start(arguments, in: folder, environment: environment)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Every file and folder under `folder`, with file bytes.
    static func snapshot(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder)?.allObjects ?? [] {
            files[path] = FileManager.default.contents(atPath: folder + "/" + path) ?? Data("<folder>".utf8)
        }
        return files
    }

    /// A repository of `count` SOPs whose every page changes with `version`.
    func repository(count: Int) throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("Version 1", by: .alice, at: "2025-01-10T09:00:00+00:00", write: files(count: count, version: 1))
        return repo
    }

    func files(count: Int, version: Int) -> [String: String] {
        var files = ["content/ops/_process.md": "---\ntitle: Operations\n---\nVersion \(version).\n"]
        for index in 0..<count {
            files["content/ops/sop-\(index).md"] = "---\nid: SOP-\(index)\ntitle: Procedure \(index)\n---\n## Steps\n\n1. Version \(version).\n"
        }
        return files
    }

    @Test("kill -9 before, during and after the write leaves the previous site or the whole new one; the next build cleans up")
    func killDuringBuild() throws {
        let repo = try repository(count: 80)
        let out = try TemporaryDirectory(prefix: "sopsite-kill")
        let site = out.path + "/site"
        let arguments = ["build", "--now", "2025-06-01", "--out", site]
        #expect(try sopsite(arguments, in: repo.path) == 0)
        let previous = Self.snapshot(site)
        try repo.commit("Version 2", by: .bob, at: "2025-02-10T09:00:00+00:00", write: files(count: 80, version: 2))
        #expect(try sopsite(["build", "--now", "2025-06-01", "--out", out.path + "/reference"], in: repo.path) == 0)
        let next = Self.snapshot(out.path + "/reference")
        try FileManager.default.removeItem(atPath: out.path + "/reference")
        #expect(previous != next)

        // Kill points: at once; as soon as the staging folder appears; once it holds files; after the first file of
        // the new site is in place. Each is checked by polling the file system, not by timing.
        enum Moment: CaseIterable { case atStart, stagingCreated, stagingFilled, swapped }
        var killedMidWrite = false
        for moment in Moment.allCases {
            let process = try start(arguments, in: repo.path)
            let staging = site + ".sopsite-staging-\(process.processIdentifier)"
            while process.isRunning {
                let reached: Bool
                switch moment {
                case .atStart: reached = true
                case .stagingCreated: reached = FileManager.default.fileExists(atPath: staging)
                case .stagingFilled: reached = FileManager.default.fileExists(atPath: staging + "/ops/sop-40/index.html")
                case .swapped: reached = (try? String(contentsOfFile: site + "/ops/index.html", encoding: .utf8))?.contains("Version 2") == true
                }
                if reached { break }
                sched_yield()
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                if moment == .stagingFilled { killedMidWrite = true }
            }
            process.waitUntilExit()
            let now = Self.snapshot(site)
            #expect(now == previous || now == next, "killed at \(moment): the site is neither the previous one nor the new one")
        }
        // Without a kill in the middle of the write the test proves little; say so rather than pass silently.
        #expect(killedMidWrite, "the build finished before the staging folder held half the pages")

        #expect(try sopsite(arguments, in: repo.path) == 0)
        #expect(Self.snapshot(site) == next)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["site"])

        // With the cache (the default), the site before last is kept there and updated in place (SpareSite): a kill
        // while it is half updated leaves the published site whole, and the next build does not trust the half.
        try repo.commit("Version 3", by: .bob, at: "2025-03-10T09:00:00+00:00", write: files(count: 80, version: 3))
        #expect(try sopsite(arguments, in: repo.path) == 0)
        let third = Self.snapshot(site)
        try repo.commit("Version 4", by: .bob, at: "2025-04-10T09:00:00+00:00", write: files(count: 80, version: 4))
        #expect(try sopsite(["build", "--no-cache", "--now", "2025-06-01", "--out", out.path + "/reference"], in: repo.path) == 0)
        let fourth = Self.snapshot(out.path + "/reference")
        try FileManager.default.removeItem(atPath: out.path + "/reference")
        let spare = repo.path + "/.build-sopsite/cache/site-spare"
        #expect(FileManager.default.fileExists(atPath: spare + "/ops/index.html"), "no spare site was kept")
        let process = try start(arguments, in: repo.path)
        var killedInSpare = false
        while process.isRunning {
            if (try? String(contentsOfFile: spare + "/ops/sop-40/index.html", encoding: .utf8))?.contains("Version 4") == true {
                kill(process.processIdentifier, SIGKILL)
                killedInSpare = true
                break
            }
            sched_yield()
        }
        process.waitUntilExit()
        #expect(killedInSpare, "the build finished before the spare site held half the pages")
        #expect(Self.snapshot(site) == third, "killed while updating the spare: the published site changed")
        #expect(try sopsite(arguments, in: repo.path) == 0)
        #expect(Self.snapshot(site) == fourth)
    }

    @Test("--out refuses /, the home folder and a folder above it, whatever --force says", arguments: ["/", "HOME", "ABOVE-HOME"])
    func homeAndRoot(target: String) throws {
        let repo = try repository(count: 1)
        let fake = try TemporaryDirectory(prefix: "sopsite-home")
        try fake.write("home/me/notes.txt", "precious")
        let home = fake.path + "/home/me"
        let output = target == "/" ? "/" : target == "HOME" ? home : fake.path + "/home"
        let status = try sopsite(["build", "--now", "2025-06-01", "--force", "--out", output], in: repo.path, environment: ["HOME": home])
        #expect(status == 2)
        #expect(try String(contentsOfFile: home + "/notes.txt", encoding: .utf8) == "precious")
        #expect(try FileManager.default.contentsOfDirectory(atPath: fake.path + "/home") == ["me"])
    }
}
