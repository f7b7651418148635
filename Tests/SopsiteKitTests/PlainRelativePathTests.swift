@testable import SopsiteKit
import Testing

/// The writer's guard on output paths, checked on bytes: only plain relative paths are written.
@Suite struct PlainRelativePathTests {
    @Test("plain relative paths pass; absolute, empty, `.`, `..`, empty components and NUL are refused")
    func plainRelative() {
        for path in ["a", "a/b.html", "sop/x/rev/3/index.html", ".well-known/x", "a/.b", "a/b.", "...", "a/.../b", "a..b/c", "é/ü.html"] {
            #expect(SiteWriter.isPlainRelative(path), "\(path)")
        }
        for path in ["", "/", "/a", "a/", "a//b", ".", "..", "./a", "../a", "a/.", "a/..", "a/./b", "a/../b", "a\u{0}b", "//"] {
            #expect(!SiteWriter.isPlainRelative(path), "\(path)")
        }
    }
}
