import Foundation
import Testing
import TestSupport

/// `sopsite serve` as a writer runs it: it prints its URL, serves, and stops cleanly on Ctrl-C (SIGINT).
@Suite struct ServeCommandTests {
    func binary() -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sopsite")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/sopsite").standardizedFileURL
    }

    @Test("serve --port 0 prints its URL, answers, and exits 0 on SIGINT")
    func stopsOnControlC() async throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/support/refund.md": "---\nid: SOP-CS-001\ntitle: Refund\nowner: dana\n---\n1. Check.\n",
        ])
        let process = Process()
        process.executableURL = binary()
        process.arguments = ["serve", "--port", "0", "--now", "2025-06-01"]
        process.currentDirectoryURL = URL(fileURLWithPath: repo.path)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let reader = output.fileHandleForReading
        let printed = try await onThread { () throws -> String in
            var text = ""
            let deadline = Date().addingTimeInterval(60)
            while !text.contains("(Ctrl-C stops)"), Date() < deadline {
                let data = reader.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            return text
        }
        let port = try #require(printed.components(separatedBy: "Serving http://127.0.0.1:").last?.components(separatedBy: "/").first.flatMap { Int($0) },
                                "no URL in: \(printed)")
        #expect(printed.contains("Built 1 SOP"))
        #expect(try await HTTPProbe(port: port).get("/").status == 200)

        kill(process.processIdentifier, SIGINT)
        let exited = try await onThread { () -> Bool in
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            return !process.isRunning
        }
        #expect(exited)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let rest = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        #expect(rest.contains("Stopped."))
    }
}
