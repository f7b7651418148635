import Foundation
import Git
import SOPCore
@testable import SopsiteKit
import Testing
import TestSupport

/// The bad-input corpus end to end (issue #10): each case is a small real repository and a real build; the outcome is
/// a diagnostic with its exact code, path and line, or a correct page. Nothing crashes, nothing hangs.
@Suite struct BadInputTests {
    struct Built {
        let folder: TemporaryDirectory
        let report: BuildReport
        let output: String
        var site: String { output }
        func text(_ path: String) throws -> String { try String(contentsOfFile: output + "/" + path, encoding: .utf8) }
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: output + "/" + path) }
        func pages() throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: output + "/api/pages.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        }
        func page(_ id: String) throws -> [String: Any] {
            try #require(try pages().first { $0["id"] as? String == id }, "no page \(id)")
        }
        /// `path:line code` for every diagnostic of `severity` (all when nil), in report order.
        func found(_ severity: Diagnostic.Severity? = nil) -> [String] {
            report.diagnostics.filter { severity == nil || $0.severity == severity }.map { "\($0.location) \($0.code)" }
        }
        /// Every file of the written site, relative to it.
        func files() -> [String] {
            let all = FileManager.default.enumerator(atPath: output)?.allObjects as? [String] ?? []
            return all.filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: output + "/" + path, isDirectory: &isFolder) && !isFolder.boolValue
            }.sorted()
        }
    }

    func build(_ repository: String, content: String? = "content", out: TemporaryDirectory? = nil, mode: BuildRequest.Mode = .build) async throws -> Built {
        let folder = try out ?? TemporaryDirectory(prefix: "sopsite-out")
        let output = folder.path + "/site"
        var request = BuildRequest(repository: repository, content: content, output: output, now: .day(Day(2025, 6, 1)))
        request.mode = mode
        return Built(folder: folder, report: await BuildPipeline.run(request), output: output)
    }

    func build(_ repo: GitFixture, content: String? = "content", out: TemporaryDirectory? = nil, mode: BuildRequest.Mode = .build) async throws -> Built {
        try await build(repo.path, content: content, out: out, mode: mode)
    }

    /// Commits `files` (raw bytes: invalid UTF-8, binary data) on top of HEAD and writes them into the working tree.
    /// The fixture's own `commit` takes text only.
    func commitBytes(_ repo: GitFixture, _ files: [String: [UInt8]], keeping text: [String: String] = [:], at date: String = "2025-01-10T09:00:00+00:00") throws {
        var all: [RepoPath: [UInt8]] = [:]
        for (path, value) in text { all[RepoPath(path)] = Array(value.utf8) }
        for (path, bytes) in files { all[RepoPath(path)] = bytes }
        let time = try #require(Instant(iso8601: date))
        let signature = Signature(name: "Alice Adams", email: "alice@example.test", time: time)
        let parent = try repo.repository.headCommit()
        let id = try repo.repository.commit(files: all, message: "Add files\n", author: signature, committer: signature,
                                            parents: parent.map { [$0] } ?? [], reference: nil)
        try repo.repository.setReference("refs/heads/main", to: id)
        for (path, bytes) in all {
            let url = URL(fileURLWithPath: repo.path + "/" + path.value)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    static let process = "---\ntitle: Operations\n---\nKeeping the lights on.\n"

    // MARK: - Every problem in one run

    @Test("build and check report every problem of every file in one run, sorted, each with file and line")
    func everyProblemInOneRun() async throws {
        let repo = try GitFixture()
        try repo.commit("Add the first duplicate", by: .alice, at: "2024-01-01T10:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/zz-first.md": "---\nid: SOP-1\ntitle: First\n---\nBody.\n",
        ])
        try repo.commit("Add the broken files", by: .bob, at: "2024-02-01T10:00:00+00:00", write: [
            "content/ops/tab.md": "---\ntitle: Tab\ntags:\n\t- x\n---\n",
            "content/ops/quote.md": "---\ntitle: \"Quote\nowner: dana\n---\n",
            "content/ops/duplicate-key.md": "---\ntitle: A\nowner: dana\ntitle: B\n---\n",
            "content/ops/unclosed.md": "---\ntitle: Unclosed\n\n# Unclosed\n",
            "content/ops/bomb.md": "---\ntitle: Bomb\na: &a [x, x]\nb: &b [*a, *a]\n---\n",
            "content/ops/date.md": "---\ntitle: Date\n\neffective_date: 2026-02-30\n---\n",
            "content/ops/interval.md": "---\ntitle: Interval\nreview_interval: 6 monts\n---\n",
            "content/ops/a-second.md": "---\ntitle: Second\nid: SOP-1\n---\nBody.\n",
            "content/ops/process.md": "---\ntitle: Lost\nprocess: nowhere\n---\nBody.\n",
            "content/ops/link.md": "---\ntitle: Link\n---\nIntro.\n\nSee [the missing page](missing.md).\n",
        ])
        try Data(Array("# Caf".utf8) + [0xE9] + Array("\n".utf8)).write(to: URL(fileURLWithPath: repo.path + "/content/ops/latin1.md"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: URL(fileURLWithPath: repo.path + "/content/ops/image.md"))
        let expectedErrors = [
            "content/ops/a-second.md:3 document.duplicate-id", "content/ops/bomb.md:4 front-matter.yaml-alias",
            "content/ops/date.md:4 front-matter.date", "content/ops/duplicate-key.md:4 front-matter.duplicate-key",
            "content/ops/image.md:1 source.binary", "content/ops/interval.md:3 front-matter.review-interval",
            "content/ops/latin1.md:1 source.encoding", "content/ops/quote.md:2 front-matter.yaml",
            "content/ops/tab.md:4 front-matter.yaml", "content/ops/unclosed.md:1 front-matter.unclosed",
        ]
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let built = try await build(repo, out: out)
        #expect(built.found(.error) == expectedErrors)
        #expect(built.found(.warning) == ["content/ops/link.md:6 link.broken", "content/ops/process.md:3 document.unknown-process"])
        #expect(built.report.diagnostics == built.report.diagnostics.sorted())
        let duplicate = try #require(built.report.diagnostics.first { $0.code == "document.duplicate-id" })
        #expect(duplicate.notes.map(\.location.description) == ["content/ops/zz-first.md:2"])
        #expect(!FileManager.default.fileExists(atPath: built.output))

        let checked = try await build(repo, out: out, mode: .check(failOn: nil))
        let problems = Set(checked.found())
        #expect(problems.isSuperset(of: expectedErrors + ["content/ops/link.md:6 link.broken", "content/ops/process.md:3 document.unknown-process"]))
    }

    // MARK: - Encodings and line endings

    @Test("a byte-order mark and CRLF line endings give a clean page: no BOM, no carriage return anywhere")
    func bomAndCRLF() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process,
            "content/ops/restart.md": "\u{FEFF}---\r\nid: SOP-OPS-1\r\ntitle: Restart the API\r\nowner: dana\r\ntags: [api, restart]\r\n---\r\n## Steps\r\n\r\n1. Drain.\r\n2. Restart.\r\n",
        ])
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        let page = try built.page("SOP-OPS-1")
        #expect(page["title"] as? String == "Restart the API")
        #expect(page["owner"] as? String == "dana")
        for file in built.files() where file.hasSuffix(".html") || file.hasSuffix(".json") {
            let text = try built.text(file)
            #expect(!text.contains("\r"), "\(file)")
            #expect(!text.contains("\u{FEFF}"), "\(file)")
        }
        #expect(try built.text("ops/restart/index.html").contains("<li>Restart.</li>"))
    }

    @Test("committed invalid UTF-8 is an error on the line of the bad byte, and nothing is written")
    func committedInvalidUTF8() async throws {
        let repo = try GitFixture()
        try commitBytes(repo, ["content/ops/menu.md": Array("---\ntitle: Menu\n---\nCaf".utf8) + [0xE9, 0x0A]],
                        keeping: ["content/ops/_process.md": Self.process])
        let built = try await build(repo)
        #expect(built.found() == ["content/ops/menu.md:4 source.encoding"])
        #expect(!FileManager.default.fileExists(atPath: built.output))
    }

    @Test("a committed binary file named .md is an error on line 1, and nothing is written")
    func committedBinary() async throws {
        let repo = try GitFixture()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        try commitBytes(repo, ["content/ops/diagram.md": png], keeping: ["content/ops/_process.md": Self.process])
        let built = try await build(repo)
        #expect(built.found() == ["content/ops/diagram.md:1 source.binary"])
    }

    @Test("an empty file is a page titled after its file name")
    func emptyFile() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/rotate-keys.md": "",
        ])
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(try built.page("ops/rotate-keys")["title"] as? String == "Rotate keys")
        #expect(try built.text("ops/rotate-keys/index.html").contains("Rotate keys"))
    }

    @Test("a 2 MB Markdown file with 400 headings builds a whole page (the 20 MB case runs per stage in DocumentsTests and GFMTests)")
    func largeFile() async throws {
        let repo = try GitFixture()
        var body = "---\nid: SOP-BIG\ntitle: Big\n---\n"
        for index in 0..<20_000 {
            body += index % 50 == 0 ? "## Part \(index / 50)\n" : "\(index). Check *order* \(index) against the ledger.\n"
        }
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/big.md": body,
        ])
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        let html = try built.text("ops/big/index.html")
        #expect(html.contains("<h2 id=\"part-399\">Part 399</h2>"))
        #expect(html.contains("Check <em>order</em> 19999 against the ledger."))
    }

    // MARK: - Ids and processes

    @Test("a duplicate id: the file that had it first in Git keeps it, the newcomer is the error, naming both")
    func duplicateIDs() async throws {
        let repo = try GitFixture()
        try repo.commit("Add the original", by: .alice, at: "2024-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/zebra.md": "---\nid: SOP-7\ntitle: Zebra\n---\nBody.\n",
        ])
        try repo.commit("Copy it", by: .bob, at: "2024-05-10T09:00:00+00:00", write: [
            "content/ops/aardvark.md": "---\ntitle: Aardvark\nowner: bob\nid: SOP-7\n---\nBody.\n",
        ])
        let built = try await build(repo, mode: .check(failOn: nil))
        let duplicate = try #require(built.report.diagnostics.first { $0.code == "document.duplicate-id" })
        #expect(duplicate.description == """
            content/ops/aardvark.md:4: error: id "SOP-7" is already used by content/ops/zebra.md; give each document its own id [document.duplicate-id]
            content/ops/zebra.md:2: note: first used here
            """)
    }

    @Test("a process: naming no process is a warning on its line; the page stays under its folder's process")
    func unknownProcess() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/restart.md": "---\nid: SOP-2\n\nprocess: Opertions\n---\nBody.\n",
        ])
        let built = try await build(repo)
        #expect(built.report.succeeded)
        #expect(built.found() == ["content/ops/restart.md:4 document.unknown-process"])
        #expect(built.report.diagnostics.first?.fix == "write one of: ops")
        #expect(try built.page("SOP-2")["process"] as? String == "ops")
        #expect(built.exists("ops/restart/index.html"))
    }

    @Test("a process: or id: that climbs out of the site stops the build at its line; nothing is written anywhere")
    func escapingValues() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": "---\ntitle: Operations\nprocess: ../../../escaped\n---\n",
            "content/ops/dots.md": "---\nid: ..\n---\nBody.\n",
        ])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let built = try await build(repo, out: out)
        #expect(built.found() == ["content/ops/_process.md:3 front-matter.process", "content/ops/dots.md:2 front-matter.id"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test("a folder whose name slugs to dots never writes outside the output folder")
    func dotFolderName() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/-../_process.md": "---\ntitle: Dots\n---\n", "content/-../x.md": "# X\n", "content/ops/-...md": "# Y\n",
        ])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let built = try await build(repo, out: out)
        // Either a page at a safe URL or a refusal; never a file beside or above the site.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0 != "site" }.isEmpty)
        if !built.report.succeeded {
            #expect(built.found() == ["\(built.output) output.write"])
        }
        #expect(!FileManager.default.fileExists(atPath: (out.path as NSString).deletingLastPathComponent + "/index.html"))
    }

    // MARK: - File names

    @Test("file names with spaces, quotes, #, %, ? and non-ASCII letters get working pages and links")
    func oddFileNames() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process,
            "content/ops/restart the API.md": "# Restart the API\n\nSee [the quoted one](<it's \"quoted\".md>) and [café](caf%C3%A9-cr%C3%A8me.md).\n",
            "content/ops/it's \"quoted\".md": "# Quoted\n\nBack to [restart](restart%20the%20API.md).\n",
            "content/ops/café-crème.md": "# Café crème\n\nBody.\n",
            "content/ops/100% #1?.md": "# Percent\n\nBody.\n",
        ])
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.found() == [])
        #expect(Set(try built.pages().compactMap { $0["source_path"] as? String }) == [
            "content/ops/restart the API.md", "content/ops/it's \"quoted\".md", "content/ops/café-crème.md", "content/ops/100% #1?.md",
        ])
        for page in ["ops/restart-the-api", "ops/its-quoted", "ops/café-crème", "ops/100-1"] {
            #expect(built.exists(page + "/index.html"), "\(page)")
        }
        let restart = try built.text("ops/restart-the-api/index.html")
        #expect(restart.contains("href=\"../its-quoted/\""))
        #expect(restart.contains("href=\"../caf%C3%A9-cr%C3%A8me/\""))
        #expect(try built.text("ops/its-quoted/index.html").contains("href=\"../restart-the-api/\""))
    }

    @Test("a case-only rename keeps the history, as git log --follow does")
    func caseOnlyRename() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2024-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/Refund.md": "---\nid: SOP-R\n---\n# Refund\n\nCheck the order.\n",
        ])
        try repo.commit("Lower-case the file name", by: .bob, at: "2024-03-10T09:00:00+00:00",
                        move: [("content/ops/Refund.md", "content/ops/refund.md")])
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        let page = try built.page("SOP-R")
        #expect(page["source_path"] as? String == "content/ops/refund.md")
        #expect(page["commits"] as? Int == 2)
        #expect(page["revision"] as? Int == 1)
        #expect((page["created"] as? [String: Any])?["date"] as? String == "2024-01-10T09:00:00+00:00")
        if GitFixture.hasGitCommand {
            #expect(try repo.gitLogFollow("content/ops/refund.md", format: "%s") == ["Lower-case the file name", "Add"])
        }
    }

    // MARK: - Nothing outside the content folder

    @Test("symbolic links that lead outside the content folder are refused, named, and nothing behind them is read")
    func symlinksOutside() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/inside.md": "# Inside\n", "README.md": "# SECRET-README\n",
        ])
        let outside = try TemporaryDirectory(prefix: "sopsite-outside")
        try outside.write("secret.md", "# SECRET-OUTSIDE\n")
        try outside.write("folder/more.md", "# SECRET-FOLDER\n")
        try outside.write("secret.png", "SECRET-IMAGE")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: repo.path + "/content/ops/secret.md", withDestinationPath: outside.path + "/secret.md")
        try manager.createSymbolicLink(atPath: repo.path + "/content/ops/readme.md", withDestinationPath: "../../README.md")
        try manager.createSymbolicLink(atPath: repo.path + "/content/ops/folder", withDestinationPath: outside.path + "/folder")
        try manager.createSymbolicLink(atPath: repo.path + "/content/ops/picture.png", withDestinationPath: outside.path + "/secret.png")
        try manager.createSymbolicLink(atPath: repo.path + "/content/ops/alias.md", withDestinationPath: "inside.md")
        try manager.createSymbolicLink(atPath: repo.path + "/content/ops/loop.md", withDestinationPath: "loop.md")
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.found() == ["content/ops/folder content.symlink-outside", "content/ops/picture.png content.symlink-outside",
                                  "content/ops/readme.md content.symlink-outside", "content/ops/secret.md content.symlink-outside"])
        for file in built.files() {
            let bytes = try #require(manager.contents(atPath: built.output + "/" + file))
            #expect(!String(decoding: bytes, as: UTF8.self).contains("SECRET"), "\(file)")
        }
        #expect(built.exists("ops/alias/index.html"))
    }

    @Test("a content folder that is a symbolic link out of the repository is refused")
    func contentFolderOutside() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["docs/a.md": "# A\n"])
        let outside = try TemporaryDirectory(prefix: "sopsite-outside")
        try outside.write("ops/secret.md", "# SECRET\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/content", withDestinationPath: outside.path)
        let built = try await build(repo)
        #expect(built.found() == ["content content.outside-repository"])
        #expect(!FileManager.default.fileExists(atPath: built.output))
    }

    @Test("a named pipe called .md is skipped with a warning instead of blocking the build forever")
    func namedPipe() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/a.md": "# A\n",
        ])
        #expect(mkfifo(repo.path + "/content/ops/pipe.md", 0o600) == 0)
        let built = try await build(repo)
        #expect(built.report.succeeded)
        #expect(built.found() == ["content/ops/pipe.md content.not-a-file"])
    }

    @Test("a file name that is not UTF-8 is named with its bytes escaped and skipped, not reported as unreadable")
    func nonUTF8Name() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/a.md": "# A\n",
        ])
        // "café.md" in Latin-1: the é is the single byte E9.
        let name = Array((repo.path + "/content/ops/caf").utf8) + [0xE9] + Array(".md".utf8)
        let descriptor = (name.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
        #expect(descriptor >= 0)
        close(descriptor)
        let built = try await build(repo)
        #expect(built.report.succeeded)
        #expect(built.found() == ["content/ops/caf\\xE9.md content.file-name"])
        #expect(ContentTree.escapedName(Array("a".utf8) + [0xFF, 0x0A] + Array("é".utf8)) == "a\\xFF\né")
    }

    @Test("../ in link and image paths: warnings on their lines, nothing outside the content folder copied or read")
    func dotDotLinks() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "secret.png": "SECRET-PNG", "content/logo.png": "PNG",
            "content/ops/links.md": """
            # Links

            [passwd](../../../../../../etc/passwd)
            ![secret](../../secret.png)
            [encoded](%2e%2e/%2e%2e/%2e%2e/etc/passwd)
            [readme](../../README.md)
            ![logo](../logo.png)
            [back](..\\..\\secret.png)

            """,
        ])
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.found() == ["content/ops/links.md:3 link.outside-content", "content/ops/links.md:4 link.outside-content",
                                  "content/ops/links.md:5 link.outside-content", "content/ops/links.md:6 link.outside-content",
                                  "content/ops/links.md:8 link.broken"])
        #expect(built.files().filter { $0.hasSuffix(".png") } == ["logo.png"])
        #expect(try built.text("ops/links/index.html").contains("src=\"../../logo.png\""))
        for file in built.files() {
            #expect(!String(decoding: FileManager.default.contents(atPath: built.output + "/" + file) ?? Data(), as: UTF8.self).contains("root:x:0"))
        }
    }

    @Test("../ and absolute paths in sopsite.yml are refused on their lines; the owners file is never read from outside")
    func dotDotInConfig() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "sopsite.yml": "title: Site\ncontent: ../../etc\nowners: ../outside-owners.yml\nreview:\n  ignore_revs_file: /etc/passwd\n",
            "content/ops/_process.md": Self.process,
        ])
        let built = try await build(repo, content: nil)
        #expect(built.found() == ["sopsite.yml:2 config.content", "sopsite.yml:3 config.owners", "sopsite.yml:5 config.ignore-revs"])
    }

    @Test("an owners file or sopsite.yml that is a symbolic link out of the repository is not read")
    func configSymlinks() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/a.md": "---\nowner: dana\n---\n# A\n",
        ])
        let outside = try TemporaryDirectory(prefix: "sopsite-outside")
        try outside.write("owners.yml", "dana:\n  name: SECRET-NAME\n")
        try outside.write("sopsite.yml", "title: SECRET-TITLE\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/content/owners.yml", withDestinationPath: outside.path + "/owners.yml")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/sopsite.yml", withDestinationPath: outside.path + "/sopsite.yml")
        let built = try await build(repo)
        #expect(built.found() == ["content/owners.yml content.symlink-outside", "sopsite.yml content.symlink-outside"])
        for file in built.files() {
            #expect(!String(decoding: FileManager.default.contents(atPath: built.output + "/" + file) ?? Data(), as: UTF8.self).contains("SECRET"), "\(file)")
        }
    }

    // MARK: - Repository states

    @Test("a submodule inside the content folder is named and skipped; the rest of the site builds")
    func submodule() async throws {
        guard GitFixture.hasGitCommand else { return }
        let library = try GitFixture()
        try library.commit("Add", by: .alice, at: "2024-01-10T09:00:00+00:00", write: ["vendor.md": "# Vendor SOP\n"])
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2024-02-10T09:00:00+00:00", write: [
            "content/ops/_process.md": Self.process, "content/ops/a.md": "# A\n",
        ])
        _ = try repo.git(["-c", "protocol.file.allow=always", "submodule", "add", "-q", library.path, "content/ops/vendor"])
        _ = try repo.git(["-c", "user.name=Bob", "-c", "user.email=bob@example.test", "commit", "-q", "-m", "Add the vendor submodule"])
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.found() == ["content/ops/vendor content.submodule"])
        #expect(built.exists("ops/a/index.html"))
        #expect(!built.exists("ops/vendor/vendor/index.html"))
    }

    @Test("an empty repository builds its working files as not yet committed, with a warning")
    func emptyRepository() async throws {
        let repo = try GitFixture()
        try repo.directory.write("content/ops/a.md", "# A\n")
        let built = try await build(repo)
        #expect(built.report.succeeded)
        #expect(built.report.diagnostics.map(\.code) == ["history.no-commits"])
        #expect(try built.text("ops/a/index.html").contains("Not committed yet"))
        let bare = try GitFixture()
        let nothing = try await build(bare)
        #expect(nothing.report.diagnostics.map(\.code) == ["build.no-content"])
    }

    @Test("an unborn HEAD (a branch without commits) builds like an empty repository")
    func unbornHead() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["content/ops/a.md": "# A\n"])
        try "ref: refs/heads/orphan\n".write(toFile: repo.path + "/.git/HEAD", atomically: true, encoding: .utf8)
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.report.diagnostics.map(\.code) == ["history.no-commits"])
    }

    @Test("a detached HEAD builds from the commit it points at, with a warning")
    func detachedHead() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["content/ops/a.md": "---\nid: SOP-A\n---\n# A\n"])
        let tip = try repo.commit("Edit", by: .bob, at: "2025-02-10T09:00:00+00:00", write: ["content/ops/a.md": "---\nid: SOP-A\n---\n# A\n\nMore.\n"])
        try (tip.hex + "\n").write(toFile: repo.path + "/.git/HEAD", atomically: true, encoding: .utf8)
        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.report.diagnostics.map(\.code) == ["history.detached-head"])
        #expect(try built.page("SOP-A")["revision"] as? Int == 2)
    }

    @Test("a bare repository builds from HEAD's tree")
    func bareRepository() async throws {
        guard GitFixture.hasGitCommand else { return }
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: ["content/ops/a.md": "---\nid: SOP-A\n---\n# A\n"])
        try repo.commit("Edit", by: .bob, at: "2025-02-10T09:00:00+00:00", write: ["content/ops/a.md": "---\nid: SOP-A\n---\n# A\n\nMore.\n"])
        let mirror = try TemporaryDirectory(prefix: "sopsite-bare")
        _ = try repo.git(["clone", "-q", "--bare", repo.path, mirror.path + "/repo.git"])
        let built = try await build(mirror.path + "/repo.git")
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.found() == [])
        #expect(try built.page("SOP-A")["revision"] as? Int == 2)
        #expect(try built.text("ops/a/index.html").contains("More."))
    }

    @Test("a deep history of 3,000 commits: every commit counted, first and last dated right")
    func deepHistory() async throws {
        guard GitFixture.hasGitCommand else { return }
        let repo = try GitFixture()
        // One pack written by `git fast-import`: GitFixture writes loose objects and rewrites the working tree on
        // every commit, with an fsync each time (one to three minutes for 3,000 commits on a busy disk).
        let start: Int64 = 1_420_102_800  // 2015-01-01T09:00:00Z
        var stream = ""
        var text = ""
        for index in 0..<3_000 {
            text = "---\nid: SOP-LOG\n---\n# Log\n\nEntry \(index).\n"
            let person = index.isMultiple(of: 2) ? GitFixture.Person.alice : .bob
            let signature = "\(person.name) <\(person.email)> \(start + Int64(index) * 3_600) +0000"
            let message = index == 0 ? "Create" : "Entry \(index)"
            stream += "commit refs/heads/main\nauthor \(signature)\ncommitter \(signature)\ndata \(message.utf8.count)\n\(message)\n"
            if index == 0 { stream += "M 100644 inline content/ops/_process.md\ndata \(Self.process.utf8.count)\n\(Self.process)\n" }
            stream += "M 100644 inline content/ops/log.md\ndata \(text.utf8.count)\n\(text)\n"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repo.path, "fast-import", "--quiet"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stream.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        try repo.directory.write("content/ops/_process.md", Self.process)
        try repo.directory.write("content/ops/log.md", text)

        let built = try await build(repo)
        #expect(built.report.succeeded, "\(built.report.diagnostics)")
        #expect(built.report.commitsWalked == 3_000)
        let page = try built.page("SOP-LOG")
        #expect(page["commits"] as? Int == 3_000)
        #expect(page["revision"] as? Int == 3_000)
        #expect((page["created"] as? [String: Any])?["date"] as? String == "2015-01-01T09:00:00+00:00")
        // 2,999 hours after 09:00 on 1 January 2015.
        #expect((page["last_change"] as? [String: Any])?["date"] as? String == "2015-05-06T08:00:00+00:00")
        #expect((page["history"] as? [[String: Any]])?.count == 3_000)
        #expect(try repo.git(["rev-list", "--count", "HEAD"]) == "3000\n")
    }
}
