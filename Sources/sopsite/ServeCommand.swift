import ArgumentParser
import Foundation
import PreviewServer
import SOPCore
import SopsiteKit

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site: build it in memory, serve it, and rebuild and reload open pages on every save.",
        discussion: """
        Watches the content folder, the --theme folder, sopsite.yml, the owners file and Git's HEAD (a commit or a \
        checkout rebuilds too). Uncommitted edits are shown and flagged, as in build. When a build fails the server \
        stays up: every page shows the problems, with file and line, over the last good build until the next good \
        save. Nothing is written to disk. Ctrl-C stops it.

        Examples:
          sopsite serve                       # http://127.0.0.1:8000/
          sopsite serve --port 8080 --open    # and open it in the browser
          sopsite serve --drafts              # include status: draft documents
        """)

    @OptionGroup var source: SourceOptions

    @Option(help: "The address to listen on (default: 127.0.0.1, this machine only).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8000

    @Flag(help: "Open the site in the default browser once it is served.")
    var open = false

    @Option(help: "A theme folder whose templates and assets override the built-in theme's by name (watched too).")
    var theme: String?

    @Flag(help: "Print the time each stage of each build took.")
    var verbose = false

    func validate() throws {
        try source.validate()
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a port; use 1-65535, or 0 for a free one") }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw ValidationError("--host \"\(host)\" is not an address; write for example 127.0.0.1")
        }
    }

    func run() async throws {
        // The port is tried before the first build, which takes seconds on a large repository: a port in use fails at
        // once. (The server binds it again after the build; a race with another program in between fails as before.)
        if port != 0, let reason = Self.bindProblem(host: host, port: port) {
            FileHandle.standardError.write(Data("error: cannot serve on \(host):\(port): \(reason)\n".utf8))
            FileHandle.standardError.write(Data("Is another server using the port? Pass --port with another one (or 0 for any free port).\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        var request = BuildRequest(repository: source.repo, content: source.content, output: nil, now: source.nowSetting(),
                                   themeOverride: theme, includeDrafts: source.drafts, committedOnly: source.committedOnly)
        request.allowShallow = source.allowShallow
        let source = self.source
        let display = ProgressDisplay.onTerminal()
        let printer = ServePrinter(repositoryPath: source.repo, verbose: verbose, opensBrowser: open, display: display)
        let server = PreviewServer(PreviewServer.Configuration(host: host, port: port, request: request, now: { source.nowSetting() },
                                                               progress: display?.progress)) { event in printer.handle(event) }
        do {
            try await server.run()
        } catch let error as PreviewServer.Unusable {
            printer.printProblems(error.report)
            throw ExitCode(ExitStatus.usage.rawValue)
        } catch {
            // SwiftNIO describes a failed bind as "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)":
            // the system's own words for the errno say it plainly.
            var reason = "\(error)"
            if let start = reason.range(of: "(errno: "), let end = reason[start.upperBound...].firstIndex(of: ")"),
               let code = Int32(reason[start.upperBound..<end]) {
                reason = String(cString: strerror(code)).lowercased()
            }
            FileHandle.standardError.write(Data("error: cannot serve on \(host):\(port): \(reason)\n".utf8))
            FileHandle.standardError.write(Data("Is another server using the port? Pass --port with another one (or 0 for any free port).\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        print("Stopped.")
    }
}

extension ServeCommand {
    /// Why `host:port` cannot be listened on now (the system's words, e.g. "address already in use"); nil when a
    /// socket binds to it (it is closed again at once). Bound with SO_REUSEADDR, as the server binds.
    static func bindProblem(host: String, port: Int) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let address = found else { return nil }
        defer { freeaddrinfo(found) }
        let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 else { return nil }
        return String(cString: strerror(errno)).lowercased()
    }
}

/// Prints what the preview server does: a line per build, the problems of a build when they change, and the URL.
private final class ServePrinter: @unchecked Sendable {
    // @unchecked: the server reports events one at a time (the first build, then the watcher's builds, in order), and
    // `lastProblems` is only touched from `handle`, under `lock`.
    private let lock = NSLock()
    private let repositoryRoot: String
    private let verbose: Bool
    private let opensBrowser: Bool
    private let display: ProgressDisplay?
    private var lastProblems: [Diagnostic]?
    private var changed: [String] = []

    init(repositoryPath: String, verbose: Bool, opensBrowser: Bool, display: ProgressDisplay?) {
        let base = repositoryPath.hasPrefix("/") ? repositoryPath : FileManager.default.currentDirectoryPath + "/" + repositoryPath
        repositoryRoot = URL(fileURLWithPath: base).standardizedFileURL.path
        self.verbose = verbose
        self.opensBrowser = opensBrowser
        self.display = display
    }

    func handle(_ event: PreviewServer.Event) {
        lock.withLock {
            switch event {
            case .building(_, let changed):
                self.changed = changed
                display?.begin()
            case .built(let build):
                display?.end()
                report(build)
            case .listening(let host, let port):
                listening(host: host, port: port)
            }
        }
    }

    func printProblems(_ report: BuildReport) {
        for diagnostic in report.diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
    }

    private func report(_ build: PreviewServer.Build) {
        let report = build.report
        if report.diagnostics != lastProblems { printProblems(report) }
        lastProblems = report.diagnostics
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        let warnings = report.diagnostics.count - errors
        let time = String(format: "%.2f s", build.seconds)
        if let first = changed.first {
            let shown = first.hasPrefix(repositoryRoot + "/") ? String(first.dropFirst(repositoryRoot.count + 1)) : first
            print(shown + (changed.count > 1 ? " and \(changed.count - 1) more" : "") + " changed. ", terminator: "")
        }
        if report.succeeded {
            print("Built \(plural(report.pages, "SOP")) in \(plural(report.processes, "process")) from \(plural(report.commitsWalked, "commit")) "
                  + "(\(time)): \(report.overdue) overdue, \(report.dueSoon) due soon as of \(report.now?.iso ?? "?")"
                  + (warnings > 0 ? ", \(plural(warnings, "warning"))" : ""))
        } else {
            print("Build failed (\(time)): \(plural(errors, "error")), \(plural(warnings, "warning")); the browser shows them over the last good build. Fix and save.")
        }
        if verbose {
            for timing in report.timings {
                FileHandle.standardError.write(Data(String(format: "%8.3f s  %@\n", timing.seconds, timing.stage).utf8))
            }
        }
        fflush(nil)  // nil: every stream (Swift 6 forbids naming the global stdout here)
    }

    private func listening(host: String, port: Int) {
        let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        let url = "http://\(shownHost.contains(":") ? "[\(shownHost)]" : shownHost):\(port)/"
        print("Serving \(url) (Ctrl-C stops). Watching for changes…")
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            print("Note: \(host) is reachable from other machines; drafts and uncommitted work are visible there.")
        }
        fflush(nil)  // nil: every stream (Swift 6 forbids naming the global stdout here)
        if opensBrowser { openBrowser(url) }
    }

    private func openBrowser(_ url: String) {
        #if os(macOS)
        let opener = ["open", url]
        #else
        let environment = ProcessInfo.processInfo.environment
        guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else {
            print("--open: there is no graphical session here; open \(url) in a browser.")
            return
        }
        let opener = ["xdg-open", url]
        #endif
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = opener
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            print("--open: could not start \(opener[0]) (\(error.localizedDescription)); open \(url) in a browser.")
        }
    }
}
