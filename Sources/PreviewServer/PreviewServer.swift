import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import SOPCore
import SopsiteKit

/// `sopsite serve`: builds the site into memory, serves it over HTTP (Hummingbird), watches the build's inputs and
/// rebuilds when one changes, and tells open pages to reload (server-sent events).
///
/// A failed build never stops the server: the last good site stays up with an overlay listing every problem, and the
/// next good build clears it. Nothing is written to disk. Requests are answered from memory only, so no request can
/// read a file outside the site (`..`, `%2e%2e`, absolute targets are a plain 404).
public struct PreviewServer: Sendable {
    public struct Configuration: Sendable {
        /// Address to listen on: loopback by default, so drafts and uncommitted work stay on this machine.
        public var host: String
        /// Port to listen on; 0 picks a free one (reported in `Event.listening`).
        public var port: Int
        /// The build to run; its `now` is replaced by `now()` at every build, and its base URL is emptied so that every
        /// link points at the preview.
        public var request: BuildRequest
        /// The day reviews are judged on, read again at every build (a preview left running overnight moves on).
        public var now: @Sendable () -> BuildRequest.NowSetting
        /// Progress of each build (nil: none).
        public var progress: BuildProgress?
        /// How often the inputs are scanned for edits.
        public var pollInterval: Duration = .milliseconds(250)
        /// Stop gracefully on SIGINT (Ctrl-C) and SIGTERM. Tests turn it off and cancel the task instead.
        public var stopsOnSignals = true

        public init(host: String = "127.0.0.1", port: Int = 8000, request: BuildRequest,
                    now: @escaping @Sendable () -> BuildRequest.NowSetting, progress: BuildProgress? = nil) {
            self.host = host
            self.port = port
            self.request = request
            self.now = now
            self.progress = progress
        }
    }

    /// What the server did, for the CLI to print.
    public enum Event: Sendable {
        /// A build is starting; `changed` lists the absolute paths whose edit caused it (empty for the first build).
        case building(number: Int, changed: [String])
        case built(Build)
        /// The server accepts connections at `host`:`port`.
        case listening(host: String, port: Int)
    }

    public struct Build: Sendable {
        /// 1 for the first build, then one more per rebuild.
        public let number: Int
        public let report: BuildReport
        public let seconds: Double
    }

    /// The first build failed for a reason no edit of the content fixes (no repository, no content folder, a theme
    /// folder that does not exist): there is nothing to serve.
    public struct Unusable: Error, Sendable {
        public let report: BuildReport
    }

    private let configuration: Configuration
    private let onEvent: @Sendable (Event) -> Void
    /// Distinguishes this server's builds from a previous server's, so pages open across a restart reload.
    private let instance = String(UInt32.random(in: 0...UInt32.max), radix: 36)

    public init(_ configuration: Configuration, onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        var configuration = configuration
        configuration.request.baseURL = ""
        // Each rebuild re-renders only the SOPs whose inputs changed, and walks only the commits added since.
        if configuration.request.memory == nil { configuration.request.memory = RenderMemory() }
        self.configuration = configuration
        self.onEvent = onEvent
    }

    /// Builds, then serves and rebuilds until SIGINT or SIGTERM (when `stopsOnSignals`) or until the task is cancelled.
    /// Open event streams are closed first, so a stop does not wait for browsers.
    /// - Throws: `Unusable` when the first build cannot work at all; the server's error when it cannot listen (port in
    ///   use, an address that is not this machine's).
    public func run() async throws {
        let inputs = BuildPipeline.inputs(of: configuration.request)
        // Scanned before the first build, so an edit saved while it runs causes another.
        let stamps = SourceWatcher.scan(inputs)
        let first = await build(number: 1, changed: [], previous: nil)
        if !first.report.succeeded, first.report.diagnostics.contains(where: { $0.severity == .error && BuildPipeline.usageCodes.contains($0.code) }) {
            throw Unusable(report: first.report)
        }
        let state = PreviewState(snapshot: first.snapshot)

        let host = configuration.host
        let loopbackOnly = PreviewResponder.isLoopback(host)
        let onEvent = self.onEvent
        var application = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                await Self.respond(to: request, state: state, loopbackOnly: loopbackOnly)
            },
            configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onEvent(.listening(host: host, port: channel.localAddress?.port ?? 0)) })
        // The CLI reports what matters; the framework's own messages would only repeat it.
        application.logger.logLevel = .error
        let watcher = Watcher(server: self, state: state, inputs: inputs, stamps: stamps, snapshot: first.snapshot)
        // Services stop in reverse order: the watcher first, which ends the event streams, then the HTTP server.
        var group = ServiceGroupConfiguration(services: [application, watcher], logger: application.logger)
        if configuration.stopsOnSignals { group.gracefulShutdownSignals = [.sigint, .sigterm] }
        group.maximumGracefulShutdownDuration = .seconds(3)
        try await ServiceGroup(configuration: group).run()
    }

    /// One build into memory. On failure the previous site stays, under the new problems.
    fileprivate func build(number: Int, changed: [String], previous: SiteSnapshot?) async -> (snapshot: SiteSnapshot, report: BuildReport) {
        onEvent(.building(number: number, changed: changed))
        var request = configuration.request
        request.now = configuration.now()
        let started = ContinuousClock.now
        let (report, files) = await BuildProgress.$current.withValue(configuration.progress) {
            await BuildPipeline.render(request)
        }
        let elapsed = ContinuousClock.now - started
        let stamp = "\(instance)-\(number)"
        let snapshot: SiteSnapshot
        if report.succeeded {
            var byPath: [String: [UInt8]] = [:]
            byPath.reserveCapacity(files.count)
            for file in files { byPath[file.path] = file.bytes }
            snapshot = SiteSnapshot(files: byPath, hasSite: true, failed: false, problems: [], stamp: stamp,
                                    warnings: report.diagnostics.count { $0.severity == .warning })
        } else {
            snapshot = SiteSnapshot(files: previous?.files ?? [:], hasSite: previous?.hasSite ?? false, failed: true,
                                    problems: report.diagnostics, stamp: stamp,
                                    warnings: report.diagnostics.count { $0.severity == .warning })
        }
        onEvent(.built(Build(number: number, report: report,
                             seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)))
        return (snapshot, report)
    }

    fileprivate var pollInterval: Duration { configuration.pollInterval }
    fileprivate var request: BuildRequest { configuration.request }

    private static func respond(to request: Request, state: PreviewState, loopbackOnly: Bool) async -> Response {
        let target = request.head.path ?? "/"
        let host = request.head.authority
        if request.method == .get, SitePath.rawPath(of: target) == PreviewPage.eventsPath,
           !loopbackOnly || PreviewResponder.isLoopback(host) {
            return await eventStream(state)
        }
        let answer = PreviewResponder.respond(method: request.method.rawValue, target: target, host: host, loopbackOnly: loopbackOnly,
                                              snapshot: await state.snapshot)
        var headers = HTTPFields()
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { headers[name] = header.value }
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// `text/event-stream`: the current build at once, then one `build` event per build, until the server stops.
    private static func eventStream(_ state: PreviewState) async -> Response {
        let (id, messages) = await state.listen()
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            do {
                for await message in messages {
                    try await writer.write(ByteBuffer(string: message))
                }
            } catch {
                // The browser went away (a reload, a closed tab).
                await state.stopListening(id)
                throw error
            }
            await state.stopListening(id)
            try await writer.finish(nil)
        })
    }
}

/// Polls the build's inputs and rebuilds when they change; ends the event streams when the server stops.
private struct Watcher: Service, CustomStringConvertible {
    let server: PreviewServer
    let state: PreviewState
    let inputs: BuildInputs
    let stamps: [String: FileStamp]
    let snapshot: SiteSnapshot

    /// Editors save in steps (a temporary file, then a rename): a change is built once two scans this far apart agree.
    static let settleInterval: Duration = .milliseconds(60)
    /// Browsers that closed are found when a write to them fails: write a comment this often.
    static let keepAliveInterval: Duration = .seconds(15)

    /// ServiceLifecycle names each service with `"\(service)"`: without this, that would print the whole site held
    /// in `snapshot` (19 s for 300 SOPs).
    var description: String { "sopsite preview watcher" }

    func run() async throws {
        let (server, state, inputs, stamps, snapshot) = (server, state, inputs, stamps, snapshot)
        try? await cancelWhenGracefulShutdown {
            try await Self.watch(server: server, state: state, inputs: inputs, stamps: stamps, snapshot: snapshot)
        }
        await state.close()
    }

    private static func watch(server: PreviewServer, state: PreviewState, inputs: BuildInputs, stamps: [String: FileStamp],
                              snapshot: SiteSnapshot) async throws {
        var inputs = inputs
        var stamps = stamps
        var snapshot = snapshot
        var number = 1
        var lastKeepAlive = ContinuousClock.now
        while true {
            try await Task.sleep(for: server.pollInterval)
            var current = SourceWatcher.scan(inputs)
            guard current != stamps else {
                if ContinuousClock.now - lastKeepAlive > keepAliveInterval {
                    await state.keepAlive()
                    lastKeepAlive = ContinuousClock.now
                }
                continue
            }
            for _ in 0..<10 {
                try await Task.sleep(for: settleInterval)
                let again = SourceWatcher.scan(inputs)
                if again == current { break }
                current = again
            }
            let changed = SourceWatcher.changedPaths(from: stamps, to: current)
            stamps = current
            number += 1
            snapshot = await server.build(number: number, changed: changed, previous: snapshot).snapshot
            await state.publish(snapshot)
            // sopsite.yml may have moved the content folder, or a checkout moved HEAD to another branch.
            let moved = BuildPipeline.inputs(of: server.request)
            if moved != inputs {
                inputs = moved
                stamps = SourceWatcher.scan(inputs)
            }
        }
    }
}
