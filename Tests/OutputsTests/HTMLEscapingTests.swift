@testable import Outputs
import Testing

@Suite struct HTMLEscapingTests {
    @Test("the five HTML-significant characters are escaped; everything else, any script, passes through", arguments: [
        ("plain text", "plain text"), ("\"><script>alert(1)</script>", "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Tom & Jerry's", "Tom &amp; Jerry&#39;s"), ("Zoë <é> 再起動", "Zoë &lt;é&gt; 再起動"), ("", ""), ("{{title}}", "{{title}}"),
    ])
    func escapes(input: String, expected: String) {
        #expect(HTMLEscaping.escape(input) == expected)
    }
}
