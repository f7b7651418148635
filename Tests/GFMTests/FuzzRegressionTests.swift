import GFM
import Testing

/// Inputs the fuzz targets in Fuzz/ found (README, "Fuzzing"), minimised; each test names the target and the cause.
@Suite struct FuzzRegressionTests {
    let renderer = MarkdownRenderer()

    @Test("an autolinked e-mail address, www. or http address is reported on the line it is written on", arguments: [
        "Tell refunds@northwind.example the same day.", "See www.example.com for more.", "See https://example.com/x for more.",
        "Mail <refunds@northwind.example> or <https://example.com/>.",
    ])
    func autolinkLine(_ line: String) throws {
        // fuzz-document, on the sample's issue-a-partial-refund.md: the e-mail address on line 55 was reported on line
        // 13, the line before the body. cmark-gfm's autolink extension makes e-mail links after parsing, with no
        // source position (line 0).
        let rendered = renderer.render("Line one.\n\n" + line + "\n", firstLine: 14)
        #expect(rendered.links.map(\.line) == Array(repeating: 16, count: rendered.links.count))
        #expect(!rendered.links.isEmpty)
    }

    @Test("autolinks further down a paragraph, in emphasis and in table cells keep their own lines")
    func autolinkLinesInParagraph() {
        let rendered = renderer.render("""
            Line one
            second a@x.example and https://e.example/ x
            b@x.example at start *em
            c@x.example* end

            | a | b |
            |---|---|
            | d@x.example | https://f.example |

            """, firstLine: 5)
        #expect(rendered.links.map(\.line) == [6, 6, 7, 8, 12, 12])
    }
}
