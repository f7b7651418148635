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

    @Test("a port in use is reported at once, before the first build, with exit status 2")
    func portInUse() throws {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2025-01-10T09:00:00+00:00", write: [
            "content/support/refund.md": "---\nid: SOP-CS-001\ntitle: Refund\nowner: dana\n---\n1. Check.\n",
        ])
        // A listening socket of this process holds a port.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && listen(listener, 1) == 0
                && getsockname(listener, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))

        let process = Process()
        process.executableURL = binary()
        process.arguments = ["serve", "--port", String(port), "--now", "2025-06-01"]
        process.currentDirectoryURL = URL(fileURLWithPath: repo.path)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(problems.contains("cannot serve on 127.0.0.1:\(port): address already in use"), "\(problems)")
        #expect(!printed.contains("Built"), "the site was built before the port was tried: \(printed)")
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
