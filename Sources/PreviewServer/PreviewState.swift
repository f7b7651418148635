/// The latest build and the browsers listening for the next one (server-sent events).
actor PreviewState {
    private(set) var snapshot: SiteSnapshot
    private var listeners: [Int: AsyncStream<String>.Continuation] = [:]
    private var nextListener = 0
    private var isClosed = false

    init(snapshot: SiteSnapshot) {
        self.snapshot = snapshot
    }

    /// Replaces the site and tells every listener.
    func publish(_ snapshot: SiteSnapshot) {
        self.snapshot = snapshot
        broadcast(Self.buildEvent(snapshot))
    }

    /// A new listener's stream of server-sent-event messages: first the current build (so a page that missed a rebuild
    /// while it reconnected reloads at once), then one message per build, until `stopListening` or `close`.
    func listen() -> (id: Int, messages: AsyncStream<String>) {
        // A slow browser only needs the newest build: older messages may be dropped.
        let (messages, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4))
        guard !isClosed else {
            continuation.finish()
            return (-1, messages)
        }
        continuation.yield("retry: 1000\n\n" + Self.buildEvent(snapshot))
        let id = nextListener
        nextListener += 1
        listeners[id] = continuation
        return (id, messages)
    }

    func stopListening(_ id: Int) {
        listeners.removeValue(forKey: id)?.finish()
    }

    /// A comment line: writing it finds the connections browsers have closed.
    func keepAlive() {
        broadcast(": keep-alive\n\n")
    }

    /// Ends every stream, now and for later listeners (the server is stopping).
    func close() {
        isClosed = true
        for continuation in listeners.values { continuation.finish() }
        listeners = [:]
    }

    private func broadcast(_ message: String) {
        for continuation in listeners.values { continuation.yield(message) }
    }

    /// `event: build` with `{"stamp", "ok", "errors", "warnings"}` as data.
    static func buildEvent(_ snapshot: SiteSnapshot) -> String {
        let errors = snapshot.problems.filter { $0.severity == .error }.count
        let stamp = snapshot.stamp.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return "event: build\ndata: {\"stamp\":\"\(stamp)\",\"ok\":\(!snapshot.failed),\"errors\":\(errors),"
            + "\"warnings\":\(snapshot.warnings)}\n\n"
    }
}
