@testable import PreviewServer
import Testing

/// Request targets to site paths: what is served, and what is refused before any lookup.
@Suite struct SitePathTests {
    @Test("plain paths resolve to site-relative paths, percent-decoded, without query or fragment", arguments: [
        ("/", ""),
        ("/customer-support/", "customer-support/"),
        ("/customer-support/process-a-refund/?q=1#steps", "customer-support/process-a-refund/"),
        ("/assets/style.css", "assets/style.css"),
        ("/caf%C3%A9/", "café/"),
        ("/a%20b.md", "a b.md"),
        ("/files/..data", "files/..data"),
    ])
    func resolves(target: String, expected: String) {
        #expect(SitePath.resolve(target) == expected)
    }

    @Test("anything that could leave the site is refused", arguments: [
        "/../etc/passwd",
        "/assets/../../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E/etc/passwd",
        "/.%2e/etc/passwd",
        "/assets/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/assets%2f..%2f..%2fetc%2fpasswd",
        "/./index.html",
        "//etc/passwd",
        "http://127.0.0.1/etc/passwd",
        "etc/passwd",
        "/etc//passwd",
        "/..\\..\\etc\\passwd",
        "/%5c..%5cetc",
        "/index.html%00.css",
        "/%zz",
        "/%C3",
    ])
    func refuses(target: String) {
        #expect(SitePath.resolve(target) == nil)
    }
}
