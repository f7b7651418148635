@testable import PreviewServer
import SOPCore
import Testing

/// The server's answers from a snapshot in memory, without a socket.
@Suite struct PreviewResponderTests {
    let page = Array("<!doctype html><html><body><h1>Refunds</h1></body></html>".utf8)

    func snapshot(failed: Bool = false, hasSite: Bool = true) -> SiteSnapshot {
        SiteSnapshot(files: hasSite ? ["index.html": page, "support/refund/index.html": page, "assets/style.css": Array("body{}".utf8),
                                       "404.html": Array("<html><body>Not here</body></html>".utf8)] : [:],
                     hasSite: hasSite, failed: failed,
                     problems: failed ? [.error("front-matter.yaml", "the YAML <is> broken", at: SourceLocation(RepoPath("content/support/refund.md"), line: 5),
                                                fix: "close the quote"),
                                         .warning("link.broken", "link \"x.md\" leads nowhere", at: SourceLocation(RepoPath("content/a.md"), line: 9))] : [],
                     stamp: "abc-2", warnings: failed ? 1 : 2)
    }

    func body(_ response: PreviewResponse) -> String { String(decoding: response.body, as: UTF8.self) }
    func header(_ response: PreviewResponse, _ name: String) -> String? { response.headers.first { $0.name == name }?.value }

    @Test("a page gets the live-reload script before </body>; other files are served as they are")
    func injection() {
        let home = PreviewResponder.respond(method: "GET", target: "/", snapshot: snapshot())
        #expect(home.status == 200)
        #expect(header(home, "Content-Type") == "text/html; charset=utf-8")
        #expect(header(home, "Cache-Control") == "no-store")
        #expect(body(home).hasSuffix("<h1>Refunds</h1><script src=\"/__sopsite/live-reload.js\" data-build=\"abc-2\" defer></script>\n</body></html>"))
        #expect(!body(home).contains("sopsite-problems"))
        let css = PreviewResponder.respond(method: "GET", target: "/assets/style.css", snapshot: snapshot())
        #expect(body(css) == "body{}")
        #expect(header(css, "Content-Type") == "text/css; charset=utf-8")
    }

    @Test("after a failed build every page lists every problem with file and line, escaped, over the last good page")
    func overlay() throws {
        let text = body(PreviewResponder.respond(method: "GET", target: "/support/refund/", snapshot: snapshot(failed: true)))
        #expect(text.contains("<h1>Refunds</h1>"))
        #expect(text.contains("The build failed: 1 error, 1 warning"))
        #expect(text.contains("<code class=\"sopsite-location\">content/support/refund.md:5</code> <strong>error</strong>: the YAML &lt;is&gt; broken; close the quote"))
        #expect(text.contains("<code class=\"sopsite-location\">content/a.md:9</code> <strong>warning</strong>"))
        let error = try #require(text.range(of: "content/support/refund.md:5"))
        let warning = try #require(text.range(of: "content/a.md:9"))
        #expect(error.lowerBound < warning.lowerBound, "errors come first")
        #expect(text.contains("href=\"/__sopsite/preview.css\""))
    }

    @Test("before any good build, every page is the problem list (500), so a fix reloads it")
    func noSiteYet() {
        let response = PreviewResponder.respond(method: "GET", target: "/anything/", snapshot: snapshot(failed: true, hasSite: false))
        #expect(response.status == 500)
        #expect(body(response).contains("There is no site to show yet"))
        #expect(body(response).contains("live-reload.js"))
    }

    @Test("a folder without its slash redirects; unknown paths and traversal get the site's 404 page; only GET and HEAD")
    func statuses() {
        let redirect = PreviewResponder.respond(method: "GET", target: "/support/refund?x=1", snapshot: snapshot())
        #expect(redirect.status == 301)
        #expect(header(redirect, "Location") == "/support/refund/?x=1")
        for target in ["/missing/", "/../index.html", "/%2e%2e/index.html", "//index.html", "/__sopsite/other"] {
            let response = PreviewResponder.respond(method: "GET", target: target, snapshot: snapshot())
            #expect(response.status == 404, "\(target)")
            #expect(body(response).contains("Not here"))
        }
        #expect(PreviewResponder.respond(method: "POST", target: "/", snapshot: snapshot()).status == 405)
        let head = PreviewResponder.respond(method: "HEAD", target: "/", snapshot: snapshot())
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test("the event for a build names it and says whether it succeeded")
    func event() {
        #expect(PreviewState.buildEvent(snapshot(failed: true)) == "event: build\ndata: {\"stamp\":\"abc-2\",\"ok\":false,\"errors\":1,\"warnings\":1}\n\n")
        // A good build's warnings are counted too (they are printed in the terminal; pages show no overlay).
        #expect(PreviewState.buildEvent(snapshot()) == "event: build\ndata: {\"stamp\":\"abc-2\",\"ok\":true,\"errors\":0,\"warnings\":2}\n\n")
    }

    @Test("listening on loopback, only loopback host names are answered (DNS rebinding)", arguments: [
        ("127.0.0.1:8000", true), ("localhost:8000", true), ("[::1]:8000", true), ("localhost", true), ("127.0.0.2", true),
        ("app.localhost:8000", true), ("evil.example:8000", false), ("127.0.0.1.evil.example", false), (nil, false),
        ("127.0.0.1:80x", false), ("[::2]:8000", false), ("", false),
    ])
    func loopbackHosts(host: String?, allowed: Bool) {
        #expect(PreviewResponder.isLoopback(host) == allowed)
        let answer = PreviewResponder.respond(method: "GET", target: "/", host: host, loopbackOnly: true, snapshot: snapshot())
        #expect((answer.status == 403) == !allowed)
        // Shared on purpose (--host 0.0.0.0): any name.
        #expect(PreviewResponder.respond(method: "GET", target: "/", host: host, loopbackOnly: false, snapshot: snapshot()).status == 200)
    }
}
