@testable import GFM
import Testing

@Suite struct MarkdownRendererTests {
    @Test("a link resolved to `unlinked` becomes its text; an image its description; the others keep their links")
    func unlinked() {
        let rendered = MarkdownRenderer().render("See [the *old* page](old.md), ![the flow](flow.png) and [kept](kept.md).\n\n[gone](gone.md)\n") { link in
            link.destination == "kept.md" ? "kept/" : MarkdownRenderer.unlinked
        }
        #expect(rendered.html == "<p>See the <em>old</em> page, the flow and <a href=\"kept/\">kept</a>.</p>\n<p>gone</p>\n", "\(rendered.html)")
        #expect(rendered.links.map(\.destination) == ["old.md", "flow.png", "kept.md", "gone.md"])
    }

    let renderer = MarkdownRenderer()

    @Test("raw HTML is omitted and javascript: links are emptied unless allowed")
    func rawHTMLEscaped() {
        let html = renderer.render("<script>alert(1)</script>\n\nText <b>bold</b> [x](javascript:alert(1))\n").html
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("javascript:"))
        let unsafe = MarkdownRenderer(allowRawHTML: true).render("Text <b>bold</b>\n").html
        #expect(unsafe.contains("<b>bold</b>"))
    }

    @Test("GFM tables, strikethrough, task lists and autolinks render")
    func extensions() {
        let html = renderer.render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nwww.example.com\n").html
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>old</del>"))
        #expect(html.contains("type=\"checkbox\""))
        #expect(html.contains("href=\"http://www.example.com\""))
    }

    @Test("headings get GitHub-style anchors, repeats numbered, lines counted from the file")
    func headings() {
        let rendered = renderer.render("## Before you start\n\n## Steps\n\n## Steps\n", firstLine: 6)
        #expect(rendered.headings.map(\.anchor) == ["before-you-start", "steps", "steps-1"])
        #expect(rendered.headings.map(\.line) == [6, 8, 10])
        #expect(rendered.html.contains("<h2 id=\"steps-1\">Steps</h2>"))
    }

    @Test("a leading level-one heading becomes the title and leaves the body")
    func leadingTitle() {
        let rendered = renderer.render("# Restart the API\n\nRun it.\n", dropLeadingTitle: true)
        #expect(rendered.title == "Restart the API")
        #expect(!rendered.html.contains("<h1"))
    }

    @Test("links are given to the resolver with their file line and rewritten")
    func linkRewriting() {
        var seen: [MarkdownLink] = []
        let html = renderer.render("Intro\n\nSee [refund](refund.md#steps) and ![flow](img/flow.svg).\n", firstLine: 5) { link in
            seen.append(link)
            return link.isImage ? "../img/flow.svg" : "../refund/#steps"
        }.html
        #expect(seen.map(\.destination) == ["refund.md#steps", "img/flow.svg"])
        #expect(seen.map(\.line) == [7, 7])
        #expect(seen.last?.text == "flow")
        #expect(html.contains("href=\"../refund/#steps\""))
        #expect(html.contains("src=\"../img/flow.svg\""))
    }
}

@Suite struct AnchorSlugTests {
    @Test("the ASCII slug on bytes is the scalar definition's, for every ASCII character and 2,000 random headings")
    func asciiSameAsScalars() {
        let every = String(decoding: (0..<128).map(UInt8.init), as: UTF8.self)
        #expect(AnchorSet.slug(every) == AnchorSet.scalarSlug(every))
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("Ab zZ09-_.:!?()[]`*#&<>'\"\t~@")
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...30, using: &generator)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            #expect(AnchorSet.slug(text) == AnchorSet.scalarSlug(text), "\(text)")
        }
    }

    @Test("a render without plain text leaves it empty and the HTML as it was")
    func withoutPlainText() {
        let markdown = "# Title\n\n## Steps\n\n1. Open [the order](a.md).\n"
        let full = MarkdownRenderer().render(markdown), bare = MarkdownRenderer().render(markdown, withPlainText: false)
        #expect(bare.plainText.isEmpty && !full.plainText.isEmpty)
        #expect(bare.html == full.html && bare.headings == full.headings)
    }
}
