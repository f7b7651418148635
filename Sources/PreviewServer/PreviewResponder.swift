/// One answer of the preview server, before it becomes an HTTP response.
struct PreviewResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
}

/// Answers requests from the site in memory. A pure function of the request and the snapshot (the event stream,
/// which is not, is the server's): testable without a socket.
enum PreviewResponder {
    /// - Parameters:
    ///   - method: the HTTP method, e.g. `GET`.
    ///   - target: the raw request target, e.g. `/customer-support/?q=1`.
    ///   - host: the request's `Host` (or `:authority`); with `loopbackOnly`, a request naming another host is refused.
    ///   - loopbackOnly: true when the server listens on this machine only (the default): then a page of another site
    ///     that points a DNS name of its own at 127.0.0.1 (DNS rebinding) cannot read the preview, as Vite and
    ///     webpack-dev-server refuse such hosts.
    static func respond(method: String, target: String, host: String? = nil, loopbackOnly: Bool = false,
                        snapshot: SiteSnapshot) -> PreviewResponse {
        if loopbackOnly, !isLoopback(host) {
            return PreviewResponse(status: 403, headers: [("Content-Type", "text/plain; charset=utf-8")],
                                   body: Array("This preview answers only to localhost, 127.0.0.1 and [::1]; start it with --host to share it.\n".utf8))
        }
        guard method == "GET" || method == "HEAD" else {
            return PreviewResponse(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                                   body: Array("Only GET and HEAD are served.\n".utf8))
        }
        var response = answer(target, snapshot)
        response.headers += [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
        if method == "HEAD" {
            // The length a GET would have; the body stays empty.
            response.headers.append(("Content-Length", String(response.body.count)))
            response.body = []
        }
        return response
    }

    /// `localhost`, `127.0.0.1` (any 127.x.y.z) or `[::1]`, with or without a port; a missing Host is not loopback.
    static func isLoopback(_ host: String?) -> Bool {
        guard var name = host?.lowercased(), !name.isEmpty else { return false }
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            name = String(name[name.index(after: name.startIndex)..<close])
            return name == "::1"
        }
        if let colon = name.lastIndex(of: ":") {
            guard name[name.index(after: colon)...].allSatisfy(\.isNumber) else { return false }
            name = String(name[..<colon])
        }
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    private static func answer(_ target: String, _ snapshot: SiteSnapshot) -> PreviewResponse {
        switch SitePath.rawPath(of: target) {
        case PreviewPage.scriptPath: return file(Array(PreviewPage.script.utf8), type: "text/javascript; charset=utf-8")
        case PreviewPage.stylesheetPath: return file(Array(PreviewPage.stylesheet.utf8), type: "text/css; charset=utf-8")
        default: break
        }
        guard let path = SitePath.resolve(target), !path.hasPrefix("__sopsite/") else { return notFound(snapshot) }
        guard snapshot.hasSite else {
            return PreviewResponse(status: 500, headers: [("Content-Type", "text/html; charset=utf-8")], body: PreviewPage.failurePage(snapshot))
        }
        let key = path.isEmpty || path.hasSuffix("/") ? path + "index.html" : path
        if let bytes = snapshot.files[key] {
            let type = MediaType.of(key)
            return file(type.hasPrefix("text/html") ? PreviewPage.injecting(into: bytes, snapshot) : bytes, type: type)
        }
        // A folder asked for without its slash: redirect, so the page's relative links resolve as on the published site.
        if !path.isEmpty, !path.hasSuffix("/"), snapshot.files[path + "/index.html"] != nil {
            return PreviewResponse(status: 301, headers: [("Location", SitePath.rawPath(of: target) + "/" + SitePath.query(of: target))], body: [])
        }
        return notFound(snapshot)
    }

    private static func file(_ bytes: [UInt8], type: String) -> PreviewResponse {
        PreviewResponse(status: 200, headers: [("Content-Type", type)], body: bytes)
    }

    /// The site's own 404 page when it has one (with the preview's script, so it reloads too).
    private static func notFound(_ snapshot: SiteSnapshot) -> PreviewResponse {
        guard let page = snapshot.files["404.html"] else {
            return PreviewResponse(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("Not found\n".utf8))
        }
        return PreviewResponse(status: 404, headers: [("Content-Type", "text/html; charset=utf-8")], body: PreviewPage.injecting(into: page, snapshot))
    }
}
