import GFM
import Testing

/// Markdown written to break the renderer or to smuggle script into a reader's browser (issue #10).
@Suite struct HostileMarkdownTests {
    let renderer = MarkdownRenderer()

    /// The value of every `href` and `src` attribute in `html`.
    func urls(in html: String) -> [String] {
        var found: [String] = []
        for attribute in ["href=\"", "src=\""] {
            var rest = Substring(html)
            while let start = rest.range(of: attribute) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                found.append(String(rest[..<end]))
                rest = rest[end...]
            }
        }
        return found
    }

    @Test("javascript:, vbscript:, file: and data: links are emptied however they are spelled", arguments: [
        "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](<javascript:alert(1)>)", "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript&#x3A;alert(1))", "[x](vbscript:msgbox(1))", "[x](VBScript:msgbox(1))", "[x](file:///etc/passwd)",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[x](DATA:text/html,<script>alert(1)</script>)",
        "<javascript:alert(1)>", "[x][ref]\n\n[ref]: javascript:alert(1)", "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "[x](java\tscript:alert(1))",
    ])
    func dangerousSchemes(markdown: String) {
        let html = renderer.render(markdown + "\n").html
        for url in urls(in: html) {
            let bare = url.lowercased().filter { !$0.isWhitespace && $0 != "\u{0}" }
            #expect(!bare.hasPrefix("javascript:") && !bare.hasPrefix("vbscript:") && !bare.hasPrefix("file:")
                    && !bare.hasPrefix("data:text") && !bare.hasPrefix("data:image/svg"), "\(url)")
            // A control character that a browser would strip is percent-encoded, so the URL stays relative.
            #expect(!url.contains("\t"), "\(url)")
        }
    }

    @Test("safe URLs survive: https, mailto, relative, fragments, raster data images")
    func safeSchemes() {
        let html = renderer.render("[a](https://example.com/x?y=1&z=2) [b](mailto:ops@example.com) [c](../refund/#steps) [d](#top) ![e](data:image/png;base64,iVBORw0KGgo=)\n").html
        #expect(urls(in: html) == ["https://example.com/x?y=1&amp;z=2", "mailto:ops@example.com", "../refund/#steps", "#top",
                                   "data:image/png;base64,iVBORw0KGgo="])
    }

    @Test("a URL that closes its attribute is percent-encoded, not closed")
    func attributeBreakout() {
        let html = renderer.render("[x](<https://example.com/\"onmouseover=\"alert(1)>) [y](<a'b>)\n").html
        #expect(!html.contains("\"onmouseover"))
        #expect(urls(in: html) == ["https://example.com/%22onmouseover=%22alert(1)", "a&#x27;b"])
    }

    @Test("raw HTML in every position is omitted: blocks, inline tags, attributes, comments, CDATA")
    func rawHTML() {
        let markdown = """
        <script>alert(1)</script>

        <img src=x onerror=alert(2)>

        Text <svg onload=alert(3)> and <a href="javascript:alert(4)">link</a> <!-- <script> --> <![CDATA[x]]>

        <iframe src="https://evil.example"></iframe>

        """
        let html = renderer.render(markdown).html
        for needle in ["<script", "<img", "<svg", "<a href=\"javascript", "<iframe", "onerror", "onload"] {
            #expect(!html.contains(needle), "\(needle)")
        }
        #expect(html.contains("<!-- raw HTML omitted -->"))
    }

    @Test("text that looks like markup or templates is escaped text: </script>, {{ }}, entities")
    func textPayloads() {
        let html = renderer.render("Close </script> here, {{site.title}} {{{html}}}, &lt;b&gt; and `<script>`\n").html
        #expect(html.contains("{{site.title}} {{{html}}}"))
        #expect(html.contains("&lt;b&gt;"))
        #expect(html.contains("<code>&lt;script&gt;</code>"))
        #expect(!html.contains("</script>"))
    }

    @Test("a heading's anchor keeps only letters, digits, - and _ whatever its text")
    func headingAnchors() {
        let rendered = renderer.render("## \"><script>alert(1)</script>\n\n## Étape 2 — vérifier\n")
        #expect(rendered.headings.map(\.anchor) == ["alert1", "étape-2--vérifier"])
        #expect(rendered.html.contains("<h2 id=\"alert1\">&quot;&gt;<!-- raw HTML omitted -->alert(1)"))
    }

    @Test("100,000 nested block quotes, lists and brackets render without exhausting the stack")
    func deepNesting() {
        for markdown in [String(repeating: ">", count: 100_000) + " deep\n", String(repeating: "- ", count: 50_000) + "deep\n",
                         String(repeating: "[", count: 100_000) + "x" + String(repeating: "](y)", count: 100_000) + "\n",
                         String(repeating: "*a **", count: 50_000) + "\n"] {
            let rendered = renderer.render(markdown)
            #expect(!rendered.html.isEmpty)
        }
    }

    @Test("a 20 MB body with 2,000 headings renders every heading's anchor and all of its text")
    func twentyMegabytes() {
        var lines: [String] = []
        var size = 0
        var index = 0
        while size < 20 * 1_024 * 1_024 {
            let line = index % 100 == 0 ? "## Section \(index)\n" : "\(index). Check *order* \(index) against the **ledger**, then move on.\n"
            lines.append(line)
            size += line.utf8.count
            index += 1
        }
        let rendered = renderer.render(lines.joined(), firstLine: 5)
        let headingCount = (index + 99) / 100
        #expect(rendered.headings.count == headingCount)
        #expect(rendered.headings.last?.anchor == "section-\((headingCount - 1) * 100)")
        #expect(rendered.headings.last?.line == 5 + (headingCount - 1) * 100)
        #expect(rendered.html.contains("<h2 id=\"section-\((headingCount - 1) * 100)\">"))
        #expect(rendered.plainText.hasSuffix("Check order \(index - 1) against the ledger, then move on."))
    }
}
