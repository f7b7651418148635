import Foundation
import PreviewServer
import SOPCore
import SopsiteKit
import Testing
import TestSupport

/// The preview server over real HTTP on a free loopback port, on a real repository: pages, traversal, the event
/// stream, a rebuild after an edit, the problem overlay after a bad save, and a clean stop.
@Suite struct PreviewServerTests {
    /// A running server; cancelling `task` stops it.
    struct Running {
        let task: Task<Void, any Error>
        let probe: HTTPProbe
    }

    func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("Add support", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/support/_process.md": "---\ntitle: Customer support\nowner: dana\n---\nWhy support matters.\n",
            "content/support/refund.md": "---\nid: SOP-CS-001\ntitle: How to process a refund\nowner: dana\n---\n## Steps\n\n1. Check the order.\n",
        ])
        return repo
    }

    func start(_ repo: GitFixture) async throws -> Running {
        var configuration = PreviewServer.Configuration(host: "127.0.0.1", port: 0, request: BuildRequest(repository: repo.path, output: nil, now: .day(Day(iso: "2025-06-01")!)),
                                                        now: { .day(Day(iso: "2025-06-01")!) })
        configuration.stopsOnSignals = false
        configuration.pollInterval = .milliseconds(50)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = PreviewServer(configuration) { event in
            if case .listening(_, let port) = event { continuation.yield(port) }
        }
        let task = Task { try await server.run() }
        let port = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { await ports.first { _ in true } }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return Running(task: task, probe: HTTPProbe(port: try #require(port, "the server did not start listening")))
    }

    func stamp(in text: String) -> String? {
        text.components(separatedBy: "\"stamp\":\"").last?.components(separatedBy: "\"").first
    }

    @Test("pages are served from memory with the live-reload script; traversal and absolute targets get 404")
    func servesPagesAndRefusesTraversal() async throws {
        let repo = try repository()
        // A link inside the content folder to a file outside it is neither read nor served.
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/content/support/hosts.txt", withDestinationPath: "/etc/hosts")
        let server = try await start(repo)
        defer { server.task.cancel() }

        let home = try await server.probe.get("/")
        #expect(home.status == 200)
        #expect(home.body.contains("Customer support"))
        #expect(home.body.contains("/__sopsite/live-reload.js"))
        let page = try await server.probe.get("/support/refund/")
        #expect(page.status == 200)
        #expect(page.body.contains("Check the order."))
        #expect(try await server.probe.get("/support/refund").status == 301)
        #expect(try await server.probe.get("/__sopsite/live-reload.js").body.contains("EventSource"))
        for target in ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd", "//etc/passwd",
                       "/.git/HEAD", "/content/support/refund.md", "/support/../../content/support/refund.md", "/support/hosts.txt"] {
            let answer = try await server.probe.get(target)
            #expect(answer.status == 404, "\(target)")
            #expect(!answer.body.contains("root:") && !answer.body.contains("localhost"), "\(target)")
        }
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/_site"), "serve writes nothing")
    }

    @Test("an edit is rebuilt and announced; a bad save shows every problem with file and line; the next good save clears it")
    func rebuildsAndReloads() async throws {
        let repo = try repository()
        let server = try await start(repo)
        defer { server.task.cancel() }
        let events = try await server.probe.events()
        let first = try await events.read { $0.contains("event: build") && $0.hasSuffix("}\n\n") }
        let firstStamp = try #require(stamp(in: first))
        #expect(first.contains("\"ok\":true"))

        try repo.directory.write("content/support/refund.md",
                                 "---\nid: SOP-CS-001\ntitle: How to process a refund\nowner: dana\n---\n## Steps\n\n1. Check the order twice.\n")
        let second = try await events.read { text in text.components(separatedBy: "event: build").count > 2 && text.hasSuffix("}\n\n") }
        let secondStamp = try #require(stamp(in: second))
        #expect(secondStamp != firstStamp)
        let edited = try await server.probe.get("/support/refund/")
        #expect(edited.body.contains("Check the order twice."))
        #expect(edited.body.contains("data-build=\"\(secondStamp)\""))

        try repo.directory.write("content/support/refund.md", "---\nid: SOP-CS-001\ntitle: \"How to process a refund\nowner: dana\n---\nBroken.\n")
        let third = try await events.read { $0.contains("\"ok\":false") && $0.hasSuffix("}\n\n") }
        #expect(third.contains("\"errors\":1"))
        let overlaid = try await server.probe.get("/support/refund/")
        #expect(overlaid.status == 200)
        #expect(overlaid.body.contains("Check the order twice."), "the last good page stays")
        #expect(overlaid.body.contains("<code class=\"sopsite-location\">content/support/refund.md:3</code> <strong>error</strong>"))
        #expect(try await server.probe.get("/").body.contains("id=\"sopsite-problems\""), "every page shows the problems")

        try repo.directory.write("content/support/refund.md",
                                 "---\nid: SOP-CS-001\ntitle: How to process a refund\nowner: dana\n---\n## Steps\n\n1. Fixed.\n")
        _ = try await events.read { text in
            guard let last = text.components(separatedBy: "event: build").last else { return false }
            return last.contains("\"ok\":true") && last.hasSuffix("}\n\n")
        }
        let fixed = try await server.probe.get("/support/refund/")
        #expect(fixed.body.contains("Fixed."))
        #expect(!fixed.body.contains("sopsite-problems"))
    }

    @Test("a commit (HEAD moves) rebuilds; stopping the server ends open event streams")
    func commitRebuildsAndStopEndsStreams() async throws {
        let repo = try repository()
        let server = try await start(repo)
        let events = try await server.probe.events()
        _ = try await events.read { $0.contains("event: build") && $0.hasSuffix("}\n\n") }
        try repo.commit("Review", by: .bob, at: "2025-05-01T09:00:00+00:00", write: [
            "content/support/refund.md": "---\nid: SOP-CS-001\ntitle: How to process a refund\nowner: dana\n---\n## Steps\n\n1. Check the order.\n2. Refund.\n",
        ])
        _ = try await events.read { $0.components(separatedBy: "event: build").count > 2 && $0.hasSuffix("}\n\n") }
        #expect(try await server.probe.get("/support/refund/").body.contains("Bob Brown"))

        server.task.cancel()
        #expect(try await events.isClosed(within: 10))
        _ = await server.task.result
    }
}
