import Foundation
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// Incremental builds (`--cache`): after every kind of change, a build that reuses the cache writes exactly the bytes
/// of a build without one, and reuses what did not change.
@Suite struct IncrementalBuildTests {
    let now = BuildRequest.NowSetting.day(Day(2026, 3, 1))

    func sop(_ id: String, _ title: String, process: String, owner: String = "alice", body: String) -> String {
        "---\nid: \(id)\ntitle: \(title)\nprocess: \(process)\nowner: \(owner)\nreview_interval: 6 months\n---\n# \(title)\n\n\(body)\n"
    }

    func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("Import the SOPs", by: .alice, at: "2025-01-06T09:00:00+01:00", write: [
            "content/support/_process.md": "---\ntitle: Customer support\nowner: alice\n---\nFrom ticket to answer.\n",
            "content/support/refund.md": sop("SOP-CS-001", "Process a refund", process: "support", body: "1. Check the order.\n2. Refund it."),
            "content/support/escalate.md": sop("SOP-CS-002", "Escalate a ticket", process: "support",
                                              body: "1. Read the ticket.\n2. See [refunds](refund.md).\n3. Escalate."),
            "content/it/_process.md": "---\ntitle: IT operations\nowner: bob\n---\nKeep systems running.\n",
            "content/it/backup.md": sop("SOP-IT-001", "Restore a backup", process: "it", owner: "bob", body: "1. Find the backup.\n2. Restore it."),
            "content/owners.yml": "alice:\n  name: Alice Adams\nbob:\n  name: Bob Brown\n",
        ])
        try repo.commit("Refund: check the order number", by: .bob, at: "2025-03-10T15:30:00-05:00", write: [
            "content/support/refund.md": sop("SOP-CS-001", "Process a refund", process: "support",
                                            body: "1. Check the order number.\n2. Refund it."),
        ])
        try repo.commit("Backup: name the tool", by: .carol, at: "2025-05-02T08:00:00+09:00", write: [
            "content/it/backup.md": sop("SOP-IT-001", "Restore a backup", process: "it", owner: "bob",
                                        body: "1. Find the backup in the vault.\n2. Restore it."),
        ])
        return repo
    }

    func build(_ repo: GitFixture, into output: String, cache: String?) async -> BuildReport {
        var request = BuildRequest(repository: repo.path, content: "content", output: output, now: now, force: true)
        request.cache = cache.map { .folder($0) } ?? .off
        return await BuildPipeline.run(request)
    }

    /// A cached build into `output` and a build without a cache into a fresh folder: same files, same bytes.
    func expectSameAsFullBuild(_ repo: GitFixture, output: String, cache: String, _ step: String,
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> BuildReport {
        let incremental = await build(repo, into: output, cache: cache)
        #expect(incremental.succeeded, "\(step): \(incremental.diagnostics)", sourceLocation: sourceLocation)
        let fresh = try TemporaryDirectory(prefix: "sopsite-fresh")
        let full = await build(repo, into: fresh.path + "/site", cache: nil)
        #expect(full.succeeded, "\(step): \(full.diagnostics)", sourceLocation: sourceLocation)
        let a = OutputSafetyTests.snapshot(output), b = OutputSafetyTests.snapshot(fresh.path + "/site")
        #expect(a.keys.sorted() == b.keys.sorted(), "\(step): different files", sourceLocation: sourceLocation)
        for (path, bytes) in a where b[path] != bytes {
            Issue.record("\(step): \(path) differs from a full build", sourceLocation: sourceLocation)
        }
        return incremental
    }

    @Test("after edits, commits, a rename, a new SOP, a title change, owners and a rewritten history, a cached build equals a full one")
    func incrementalEqualsFull() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let site = out.path + "/site", cache = out.path + "/cache"

        var report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "first build")
        #expect(report.reusedSOPs == 0)
        #expect(report.documentsParsed == 5)
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "no change")
        #expect(report.reusedSOPs == 3)
        #expect(report.documentsParsed == 0)

        // An uncommitted edit of one SOP's text: that SOP only is rendered again.
        try repo.directory.write("content/support/refund.md", sop("SOP-CS-001", "Process a refund", process: "support",
                                                                  body: "1. Check the order number.\n2. Refund it.\n3. Tell the customer."))
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "uncommitted edit")
        #expect(report.reusedSOPs == 2)
        #expect(report.documentsParsed == 1)

        // Committed, with a rename in the next commit and a new SOP.
        try repo.commit("Refund: tell the customer", by: .dave, at: "2025-09-01T10:00:00+02:00", write: [
            "content/support/refund.md": sop("SOP-CS-001", "Process a refund", process: "support",
                                            body: "1. Check the order number.\n2. Refund it.\n3. Tell the customer."),
        ])
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "commit")
        try repo.commit("Move escalation; add refunds for gift cards", by: .carol, at: "2025-10-01T10:00:00+00:00",
                        write: ["content/support/gift-card-refund.md": sop("SOP-CS-003", "Refund a gift card", process: "support",
                                                                           body: "1. Void the card.\n2. Issue a new one.")],
                        move: [(from: "content/support/escalate.md", to: "content/it/escalate.md")])
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "rename and new SOP")

        // A title change shows in every page's navigation: everything is rendered again.
        try repo.commit("Retitle the backup SOP", by: .bob, at: "2025-11-01T10:00:00+00:00", write: [
            "content/it/backup.md": sop("SOP-IT-001", "Restore a backup from the vault", process: "it", owner: "bob",
                                        body: "1. Find the backup in the vault.\n2. Restore it."),
        ])
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "title change")
        #expect(report.reusedSOPs == 0)

        // The owners file names people on pages.
        try repo.directory.write("content/owners.yml", "alice:\n  name: Alice Adams-Brown\nbob:\n  name: Bob Brown\n")
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "owners")
        #expect(report.reusedSOPs == 0)

        // A `.mailmap` edited in the working tree renames an author on every page, at the same HEAD.
        try repo.directory.write(".mailmap", "Carol Chen-Moreau <carol@example.test> Carol Chen <carol@example.test>\n")
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "mailmap")
        #expect(try String(contentsOfFile: site + "/api/pages.json", encoding: .utf8).contains("Carol Chen-Moreau"))

        // A file moved but not committed yet (same bytes) keeps its history, flagged as uncommitted; moved back, all is
        // as before.
        let backup = repo.path + "/content/it/backup.md", moved = repo.path + "/content/it/restore-backup.md"
        try FileManager.default.moveItem(atPath: backup, toPath: moved)
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "uncommitted move")
        let pagesData = try Data(contentsOf: URL(fileURLWithPath: site + "/api/pages.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: pagesData) as? [[String: Any]])
        let movedPage = try #require(entries.first { $0["id"] as? String == "SOP-IT-001" })
        #expect(movedPage["source_path"] as? String == "content/it/restore-backup.md")
        #expect(movedPage["commits"] as? Int == 3 && movedPage["uncommitted"] as? Bool == true && movedPage["created"] is [String: Any],
                "\(movedPage)")
        try FileManager.default.moveItem(atPath: moved, toPath: backup)
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "moved back")

        // A hand-edited output page is not trusted: it is rendered again.
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "settled")
        let page = try #require(FileManager.default.enumerator(atPath: site)?.allObjects.compactMap { $0 as? String }
            .first { $0.hasPrefix("support/refund") && $0.hasSuffix("index.html") })
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: site + "/" + page))
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "tampered output")
        #expect(report.reusedSOPs == 3)

        // A rewritten history (here: another repository with the same files and other commits) shares nothing.
        let rewritten = try GitFixture()
        let files = try FileManager.default.subpathsOfDirectory(atPath: repo.path + "/content")
            .filter { $0.hasSuffix(".md") || $0.hasSuffix(".yml") }
        var texts: [String: String] = [:]
        for file in files { texts["content/" + file] = try String(contentsOfFile: repo.path + "/content/" + file, encoding: .utf8) }
        try rewritten.commit("Squashed history", by: .carol, at: "2025-12-24T12:00:00+01:00", write: texts)
        _ = try await expectSameAsFullBuild(rewritten, output: site, cache: cache, "rewritten history")
    }

    @Test("a rename first left uncommitted, then committed: earlier revisions' links to the old path follow it once Git knows it, in cached builds too")
    func renameCommittedAfterPreview() async throws {
        let repo = try repository()
        let output = try TemporaryDirectory(prefix: "sopsite-incremental")
        let cache = try TemporaryDirectory(prefix: "sopsite-cache")
        let site = output.path + "/site"
        _ = try await expectSameAsFullBuild(repo, output: site, cache: cache.path, "first build")
        // Moved in the working tree only (a writer previewing a rename): Git's history does not know the new path yet.
        try FileManager.default.moveItem(atPath: repo.path + "/content/support/refund.md", toPath: repo.path + "/content/support/refunds.md")
        _ = try await expectSameAsFullBuild(repo, output: site, cache: cache.path, "uncommitted rename")
        let escalate = try #require(FileManager.default.contents(atPath: site + "/sop/sop-cs-002/rev/1.html"))
        #expect(!String(decoding: escalate, as: UTF8.self).contains("<a href=\"../../../support/refunds/\">refunds</a>"))
        // Committed: the escalation SOP's earlier revision, unchanged itself, now links its "refund.md" to the page.
        try repo.commit("Rename refund", by: .alice, at: "2025-06-01T09:00:00+00:00", move: [(from: "content/support/refund.md", to: "content/support/refunds.md")])
        _ = try await expectSameAsFullBuild(repo, output: site, cache: cache.path, "rename committed")
        let linked = try #require(FileManager.default.contents(atPath: site + "/sop/sop-cs-002/rev/1.html"))
        #expect(String(decoding: linked, as: UTF8.self).contains("<a href=\"../../../support/refunds/\">refunds</a>"))
    }

    @Test("a retired SOP links only to the tag and owner pages that exist (they list SOPs in force), in cached builds too")
    func retiredLinks() async throws {
        let repo = try GitFixture()
        let live = { (tags: String) in "---\nid: SOP-1\ntitle: Refund\nowner: alice\ntags: [\(tags)]\n---\n1. Refund.\n" }
        try repo.commit("Add", by: .alice, at: "2025-01-06T09:00:00+01:00", write: [
            "content/support/refund.md": live("billing"),
            "content/support/old.md": "---\nid: SOP-0\ntitle: Old refund\nstatus: retired\nowner: carol\ntags: [billing, legacy]\n---\nOld.\n",
        ])
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let site = out.path + "/site", cache = out.path + "/cache"
        let first = try await expectSameAsFullBuild(repo, output: site, cache: cache, "first build")
        // Both are a year past review, but only the SOP in force is counted, as the dashboard and `check` count.
        #expect(first.overdue == 1)
        #expect(try String(contentsOfFile: site + "/index.html", encoding: .utf8).contains("<strong>1</strong> overdue"))
        var old = try String(contentsOfFile: site + "/support/old/index.html", encoding: .utf8)
        #expect(old.contains("<a class=\"tag\" href=\"../../tags/billing/\">billing</a>"))
        #expect(old.contains("<span class=\"tag\">legacy</span>") && !old.contains("tags/legacy/"))
        #expect(!old.contains("owners/carol/") && !FileManager.default.fileExists(atPath: site + "/owners/carol"))
        #expect(!FileManager.default.fileExists(atPath: site + "/tags/legacy"))
        // The SOP in force drops the tag: its page goes, and the retired SOP's page stops linking to it.
        try repo.directory.write("content/support/refund.md", live("payments"))
        _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, "tag dropped")
        old = try String(contentsOfFile: site + "/support/old/index.html", encoding: .utf8)
        #expect(old.contains("<span class=\"tag\">billing</span>") && !FileManager.default.fileExists(atPath: site + "/tags/billing"))
    }

    @Test("the site before last, kept in the cache, is updated in place and swapped in: same bytes as a full build, even where a page becomes a folder")
    func spareSiteUpdatedInPlace() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let site = out.path + "/site", cache = out.path + "/cache"
        // An asset that is a file now and a folder later (and the other way round): the spare holds the old shape.
        try repo.commit("Add the refund form", by: .alice, at: "2025-06-01T10:00:00+00:00",
                        write: ["content/support/forms": "form v1\n", "content/support/sheet/a.txt": "sheet\n"])
        var report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "first build")
        #expect(!report.updatedSpareSite)
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "second build")
        #expect(!report.updatedSpareSite, "no spare yet: the first build had no previous site to keep")
        #expect(FileManager.default.fileExists(atPath: cache + "/site-spare/support/refund/index.html"))
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "third build")
        #expect(report.updatedSpareSite)
        #expect(report.filesRewritten == 0, "nothing changed, yet \(report.filesRewritten) files were written")

        try repo.directory.write("content/support/refund.md", sop("SOP-CS-001", "Process a refund", process: "support",
                                                                  body: "1. Check the order number.\n2. Refund it.\n3. Say sorry."))
        report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "one SOP edited")
        #expect(report.updatedSpareSite)
        #expect(report.reusedSOPs == 2)
        #expect(report.filesRewritten > 0 && report.filesRewritten < report.filesWritten / 2, "\(report.filesRewritten) of \(report.filesWritten)")

        try repo.commit("Forms become folders, the sheet a file", by: .bob, at: "2025-07-01T10:00:00+00:00",
                        write: ["content/support/forms/refund.txt": "form v2\n", "content/support/sheet": "sheet v2\n"],
                        delete: ["content/support/forms", "content/support/sheet/a.txt"])
        for step in ["file becomes folder", "and the spare too", "nothing changed"] {
            report = try await expectSameAsFullBuild(repo, output: site, cache: cache, step)
            #expect(report.updatedSpareSite, "\(step)")
            // The record of the published site (kept from the spare's, with what the build touched taken again) is
            // exactly what the folder holds now: every entry, inode, size and modification time.
            try expectRecordMatches(site, record: cache + "/site-front.txt", step)
        }
        // Nothing the new site lacks stays behind in the spare either.
        let spare = OutputSafetyTests.snapshot(cache + "/site-spare").keys.sorted()
        let published = OutputSafetyTests.snapshot(site).keys.sorted()
        #expect(spare == published)
    }

    /// Checks a site record (`F|D inode size modified path` lines after a checksum line) against the folder.
    func expectRecordMatches(_ folder: String, record: String, _ step: String,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").dropFirst()
        var recorded: Set<String> = []
        for line in lines {
            let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            let path = fields.count > 4 ? String(fields[4]) : ""
            recorded.insert(path)
            var info = stat()
            guard lstat(path.isEmpty ? folder : folder + "/" + path, &info) == 0 else {
                Issue.record("\(step): \(path) is on record but missing", sourceLocation: sourceLocation)
                continue
            }
            let now = "\(info.st_ino) \(fields[0] == "D" ? 0 : info.st_size) \(Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))"
            let then = "\(fields[1]) \(fields[0] == "D" ? 0 : Int(fields[2]) ?? -1) \(fields[3])"
            #expect(now == then, "\(step): \(fields[0]) \(path)", sourceLocation: sourceLocation)
        }
        // Every file and folder the site holds.
        let entries = Set(OutputSafetyTests.snapshot(folder).keys)
        #expect(entries.subtracting(recorded).isEmpty, "\(step): not on record: \(entries.subtracting(recorded).sorted())", sourceLocation: sourceLocation)
    }

    @Test("a spare site that is not exactly as recorded (a file edited or added by hand, a build killed while updating it) is not used")
    func spareSiteNotTrusted() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let site = out.path + "/site", cache = out.path + "/cache"
        for step in ["first", "second", "third"] { _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, step) }
        let page = "support/refund/index.html"
        let tamperings: [(String, () throws -> Void)] = [
            ("a page of the spare edited in place", { try Data("stale".utf8).write(to: URL(fileURLWithPath: cache + "/site-spare/" + page)) }),
            ("a file added to a folder of the spare", { try Data("stray".utf8).write(to: URL(fileURLWithPath: cache + "/site-spare/support/stray.html")) }),
            ("a file added to the published site", { try Data("stray".utf8).write(to: URL(fileURLWithPath: site + "/support/stray.html")) }),
            ("a file added at the top of the published site", { try Data("stray".utf8).write(to: URL(fileURLWithPath: site + "/stray.html")) }),
            ("the record removed, as by a build killed while updating the spare", { try FileManager.default.removeItem(atPath: cache + "/site-spare.txt") }),
            ("the spare moved elsewhere and linked back", {
                // The moved folder keeps its inode and times: only the link in its place tells it apart.
                try FileManager.default.moveItem(atPath: cache + "/site-spare", toPath: out.path + "/elsewhere")
                try FileManager.default.createSymbolicLink(atPath: cache + "/site-spare", withDestinationPath: out.path + "/elsewhere")
            }),
            ("a well-formed record naming a file outside the spare", {
                // With a right checksum: only the check of each path keeps the cleanup from removing cache/victim.txt.
                try Data("keep me".utf8).write(to: URL(fileURLWithPath: cache + "/victim.txt"))
                let record = try String(contentsOfFile: cache + "/site-spare.txt", encoding: .utf8)
                var info = stat()
                lstat(cache + "/victim.txt", &info)
                let identity = "\(info.st_ino) \(info.st_size) \(Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))"
                let content = String(record[record.index(after: record.firstIndex(of: "\n")!)...]) + "F \(identity) ../victim.txt\n"
                try Data(("sopsite-checksum " + Fingerprint.bulkChecksum(Array(content.utf8)) + "\n" + content).utf8)
                    .write(to: URL(fileURLWithPath: cache + "/site-spare.txt"))
            }),
        ]
        for (what, tamper) in tamperings {
            // Twice more: the published site becomes the spare only at the next build.
            _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, "\(what): before")
            try tamper()
            let linkedBefore = what.contains("linked back") ? OutputSafetyTests.snapshot(out.path + "/elsewhere") : [:]
            for round in 1...2 {
                let report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "\(what), build \(round)")
                #expect(!FileManager.default.fileExists(atPath: site + "/support/stray.html"), "\(what)")
                #expect(!FileManager.default.fileExists(atPath: site + "/stray.html"), "\(what)")
                #expect(!what.contains("outside") || FileManager.default.fileExists(atPath: cache + "/victim.txt"), "\(what)")
                _ = report
                // Nothing was written through the link, and the output is a folder, not the link swapped in.
                if what.contains("linked back") {
                    #expect(OutputSafetyTests.snapshot(out.path + "/elsewhere") == linkedBefore, "nothing written through the link")
                    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: site)) == nil, "the output is not the link")
                }
            }
        }

        // A page of the spare edited in place keeping its size and time (it is also the published page: the two are
        // hard links) is invisible to a cached build; a `--no-cache` build repairs the output, and the next cached build
        // must not bring the edit back from the spare.
        for round in 1...3 { _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, "before an edit that keeps size and time, \(round)") }
        let spared = cache + "/site-spare/" + page
        var info = stat()
        var published = stat()
        #expect(lstat(spared, &info) == 0 && lstat(site + "/" + page, &published) == 0)
        #expect(info.st_ino == published.st_ino, "the spare's page is a hard link of the published one")
        var bytes = try #require(FileManager.default.contents(atPath: spared))
        let title = try #require(bytes.firstRange(of: Data("<title>".utf8)))
        bytes.replaceSubrange(title, with: Data("<titlX>".utf8))
        let handle = try #require(FileHandle(forWritingAtPath: spared))
        try handle.write(contentsOf: bytes)
        try handle.close()
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, spared, &times, 0) == 0)
        let repaired = await build(repo, into: site, cache: nil)
        #expect(repaired.succeeded)
        for round in 1...2 { _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, "after a --no-cache build, cached build \(round)") }
    }

    @Test("a corrupt or foreign cache is ignored, never trusted")
    func corruptCache() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let site = out.path + "/site", cache = out.path + "/cache"
        _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, "first build")
        for (name, text) in [("history.txt", "sopsite history facts\nsopsite-history-cache 1\nC\tnot-an-id\t1\n"),
                             ("pages.bin", "{\"version\": 7"), ("history.txt", "\u{0}\u{1}garbage"),
                             ("history-index.bin", "sopsite-checksum 0\n\u{3}abc"), ("blob-ids.bin", "\u{0}"),
                             ("documents.bin", "sopsite-checksum x\ngarbage")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: cache + "/" + name))
            let report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "corrupt \(name)")
            #expect(report.succeeded)
        }
        #expect(FileManager.default.fileExists(atPath: cache + "/.gitignore"))

        // Temporary files of a build killed while writing the cache (`.NAME.PID`, no such process) are swept.
        try Data("half".utf8).write(to: URL(fileURLWithPath: cache + "/.pages.bin.4194301"))
        _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, "after a killed build's temporary file")
        #expect(!FileManager.default.fileExists(atPath: cache + "/.pages.bin.4194301"))

        // Well-formed but edited by hand (a title changed in the cached search entries): the checksum no longer
        // matches, so the file is not read.
        _ = try await expectSameAsFullBuild(repo, output: site, cache: cache, "settled")
        var pages = try Data(contentsOf: URL(fileURLWithPath: cache + "/pages.bin"))
        let title = try #require(pages.range(of: Data("Process a refund".utf8)))
        pages.replaceSubrange(title, with: Data("Process a refunX".utf8))
        try pages.write(to: URL(fileURLWithPath: cache + "/pages.bin"))
        let report = try await expectSameAsFullBuild(repo, output: site, cache: cache, "edited pages.bin")
        #expect(report.reusedSOPs == 0)
    }

    @Test("a cache folder among the writer's files or in the site is refused, and nothing is written")
    func unsafeCacheFolders() async throws {
        let repo = try repository()
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        for folder in [repo.path, repo.path + "/content", repo.path + "/content/support", repo.path + "/.git/sopsite",
                       out.path + "/site", out.path + "/site/cache", "/"] {
            let report = await build(repo, into: out.path + "/site", cache: folder)
            #expect(!report.succeeded, "\(folder)")
            #expect(report.diagnostics.map(\.code) == ["cache.unsafe"], "\(folder): \(report.diagnostics)")
            #expect(!FileManager.default.fileExists(atPath: repo.path + "/content/.gitignore"))
            #expect(!FileManager.default.fileExists(atPath: repo.path + "/.gitignore"))
            #expect(!FileManager.default.fileExists(atPath: out.path + "/site"))
        }
        #expect(BuildPipeline.usageCodes.contains("cache.unsafe"))

        // An output folder over the default cache (.build-sopsite/ in the repository) would publish it and wipe it.
        for output in [repo.path + "/.build-sopsite", repo.path + "/.build-sopsite/cache"] {
            var request = BuildRequest(repository: repo.path, content: "content", output: output, now: now, force: true)
            request.cache = .automatic
            let report = await BuildPipeline.run(request)
            #expect(report.diagnostics.map(\.code) == ["output.unsafe"], "\(output): \(report.diagnostics)")
            #expect(!FileManager.default.fileExists(atPath: output + "/index.html"))
        }

        // A folder of someone else's files is not taken over as a cache (the cache removes what it keeps there).
        let theirs = try TemporaryDirectory(prefix: "sopsite-theirs")
        try theirs.write("site-spare/keep.txt", "mine\n")
        for _ in 1...2 {
            let report = await build(repo, into: out.path + "/site", cache: theirs.path)
            #expect(report.diagnostics.map(\.code) == ["cache.not-ours"], "\(report.diagnostics)")
        }
        #expect(try String(contentsOfFile: theirs.path + "/site-spare/keep.txt", encoding: .utf8) == "mine\n")
        #expect(BuildPipeline.usageCodes.contains("cache.not-ours"))
        // An empty folder, or one sopsite's cache already holds, is taken.
        let empty = try TemporaryDirectory(prefix: "sopsite-empty-cache")
        for _ in 1...2 { #expect(await build(repo, into: out.path + "/site", cache: empty.path).succeeded) }
    }

    @Test("a link to a file that fails to load is not reported again as broken: the file's own error says what to fix")
    func linkToUnloadableFile() async throws {
        let repo = try repository()
        try repo.directory.write("content/support/refund.md", "---\nid: SOP-CS-001\ntitle: \"Process a refund\nprocess: support\n---\n1. Refund.\n")
        let out = try TemporaryDirectory(prefix: "sopsite-out")
        let report = await build(repo, into: out.path + "/site", cache: nil)
        #expect(!report.succeeded)
        #expect(report.diagnostics.contains { $0.location.path.value == "content/support/refund.md" && $0.severity == .error })
        #expect(!report.diagnostics.contains { $0.code == "link.broken" }, "\(report.diagnostics)")
        // Gone for good, the link is broken.
        try FileManager.default.removeItem(atPath: repo.path + "/content/support/refund.md")
        let gone = await build(repo, into: out.path + "/site", cache: nil)
        #expect(gone.diagnostics.contains { $0.code == "link.broken" && $0.location.path.value == "content/support/escalate.md" })
    }
}
