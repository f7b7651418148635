import Documents
import SOPCore
import Testing

/// The bad-input corpus at the document level (issue #10): each broken file gives one diagnostic with its exact code,
/// path and file line, or a correct document; nothing crashes and nothing hangs.
@Suite struct BadFrontMatterTests {
    let loader = DocumentLoader(contentRoot: RepoPath("content"))
    let path = RepoPath("content/support/refund.md")

    func load(_ text: String) -> Diagnosed<Document?> {
        loader.load(SourceFile(path: path, bytes: Array(text.utf8)))
    }

    func load(bytes: [UInt8]) -> Diagnosed<Document?> {
        loader.load(SourceFile(path: path, bytes: bytes))
    }

    /// The only diagnostic, as `line code`; the file must be refused.
    func onlyError(_ result: Diagnosed<Document?>) -> String {
        #expect(result.value == nil)
        #expect(result.diagnostics.allSatisfy { $0.location.path == path })
        return result.diagnostics.map { "\($0.location.line.map(String.init) ?? "-") \($0.code)" }.joined(separator: ", ")
    }

    @Test("a tab used for indentation: front-matter.yaml on the tab's line, with the fix")
    func tabIndentation() throws {
        let result = load("---\ntitle: Refund\ntags:\n\t- refunds\nowner: dana\n---\nBody\n")
        #expect(onlyError(result) == "4 front-matter.yaml")
        #expect(result.diagnostics.first?.fix == "YAML does not allow tabs for indentation; indent with spaces")
    }

    @Test("an unclosed quote is reported on the line where the quote opened, not where the text ended")
    func unclosedQuote() throws {
        let result = load("---\ntitle: Refund\nowner: \"dana\nreview_interval: 6 months\ncriticality: high\n---\nBody\n")
        #expect(onlyError(result) == "3 front-matter.yaml")
        #expect(result.diagnostics.first?.fix == "check the quotes, colons and indentation on this line")
    }

    @Test("a key without its colon is reported on its own line")
    func missingColon() throws {
        #expect(onlyError(load("---\ntitle: Refund\nowner dana\nreview_interval: 6 months\n---\n")) == "3 front-matter.yaml")
    }

    @Test("a duplicate key is reported on its second line, naming the first")
    func duplicateKey() throws {
        let result = load("---\ntitle: Refund\nowner: dana\ntitle: Refunds\n---\nBody\n")
        #expect(onlyError(result) == "4 front-matter.duplicate-key")
        #expect(result.diagnostics.first?.message == "\"title\" appears twice (first on line 2)")
        #expect(result.diagnostics.first?.fix == "keep one of them")
    }

    @Test("a duplicate key in a nested mapping is reported on its own line")
    func nestedDuplicateKey() throws {
        let result = load("---\ntitle: Refund\nextra:\n  a: 1\n  b: 2\n  a: 3\n---\n")
        #expect(result.diagnostics.filter { $0.severity == .error }.map { "\($0.location.line ?? 0) \($0.code)" } == ["6 front-matter.duplicate-key"])
        #expect(result.diagnostics.first { $0.severity == .error }?.message == "\"a\" appears twice (first on line 4)")
    }

    @Test("front matter that is never closed is an error on line 1")
    func unclosedFrontMatter() throws {
        let result = load("---\ntitle: Refund\nowner: dana\n\n# Refund\n\nCheck the order.\n")
        #expect(onlyError(result) == "1 front-matter.unclosed")
        #expect(result.diagnostics.first?.fix == "add a line with just --- after the last front-matter line")
    }

    @Test("a UTF-8 byte-order mark before the front matter is dropped: values and lines as without it")
    func byteOrderMark() throws {
        let document = try #require(load("\u{FEFF}---\nid: SOP-CS-001\ntitle: Refund\n---\n# Heading\n").value)
        #expect(document.id == "SOP-CS-001")
        #expect(document.title == "Refund")
        #expect(document.bodyFirstLine == 5)
        let heading = try #require(load("\u{FEFF}# Refund a customer\n\nBody.\n").value)
        #expect(heading.title == "Refund a customer")
        #expect(onlyError(load("\u{FEFF}---\ntitle: Refund\nreview_interval: 6 monts\n---\n")) == "3 front-matter.review-interval")
    }

    @Test("CRLF and lone CR line endings: clean values, file lines counted as editors count them")
    func lineEndings() throws {
        let crlf = try #require(load("---\r\ntitle: Refund\r\nowner: dana\r\ntags: [a, b]\r\n---\r\n# Steps\r\n\r\n1. Check.\r\n").value)
        #expect(crlf.title == "Refund")
        #expect(crlf.owner == "dana")
        #expect(crlf.tags == ["a", "b"])
        #expect(!crlf.body.contains("\r"))
        #expect(onlyError(load("---\r\ntitle: Refund\r\n\r\nreview_interval: 6 monts\r\n---\r\n")) == "4 front-matter.review-interval")
        let oldMac = try #require(load("---\rtitle: Refund\rowner: dana\r---\rBody\r").value)
        #expect(oldMac.owner == "dana")
    }

    @Test("invalid UTF-8 is an error on the line of the first bad byte")
    func invalidUTF8() throws {
        let bytes = Array("---\ntitle: Refund\n---\nCaf".utf8) + [0xE9] + Array(" au lait\n".utf8)
        let result = load(bytes: bytes)
        #expect(onlyError(result) == "4 source.encoding")
        #expect(result.diagnostics.first?.fix == "save it as UTF-8 (most editors: \"Save with encoding\")")
    }

    @Test("UTF-16 text is named as such, not as binary data")
    func utf16() throws {
        let text = "# Refund\n"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [little, big] {
            let result = load(bytes: bytes)
            #expect(onlyError(result) == "1 source.encoding")
            #expect(result.diagnostics.first?.message == "the file is UTF-16 text, not UTF-8")
        }
    }

    @Test("a binary file named .md is an error on line 1, not a crash")
    func binary() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        let result = load(bytes: png)
        #expect(onlyError(result) == "1 source.binary")
    }

    @Test("an empty file, a blank file and an empty front matter are valid SOPs titled after the file")
    func emptyFiles() throws {
        for text in ["", "\n\n  \n", "---\n---\n", "---\n\n---\n"] {
            let result = load(text)
            let document = try #require(result.value, "\(text.debugDescription)")
            #expect(result.diagnostics.isEmpty)
            #expect(document.title == "Refund")
            #expect(document.id == "support/refund")
        }
    }

    @Test("a 20 MB Markdown file loads: its title, its body and the line the body starts on")
    func twentyMegabytes() throws {
        var text = "---\nid: SOP-BIG\nowner: dana\n---\n# A very long procedure\n\n"
        let line = "1. Check the order against the ledger and note it in the log, then move on to the next one.\n"
        text += String(repeating: line, count: 20 * 1_024 * 1_024 / line.utf8.count + 1)
        let result = load(text)
        let document = try #require(result.value)
        #expect(result.diagnostics.isEmpty)
        #expect(document.title == "A very long procedure")
        #expect(document.bodyStartsWithTitle)
        #expect(document.bodyFirstLine == 5)
        #expect(document.body.utf8.count == text.utf8.count - 32)
    }

    @Test("a YAML alias bomb is refused before any expansion, on the line of the first alias", .timeLimit(.minutes(1)))
    func aliasBomb() throws {
        // Nine levels of ten: 10^9 nodes if expanded. The last line uses the bomb as a mapping key, which Yams would
        // hash (expanding it) while checking for duplicate keys.
        var yaml = "title: Refund\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "? *i\n: boom\n"
        let result = load("---\n" + yaml + "---\nBody\n")
        #expect(onlyError(result) == "4 front-matter.yaml-alias")
        #expect(result.diagnostics.first?.message
                == "the front matter uses the YAML alias \"*a\"; sopsite does not expand aliases, whose chains can grow exponentially")
    }

    @Test("every place YAML allows an alias is found", arguments: [
        ("owner: *x", 2), ("tags:\n  - *x", 3), ("tags: [a, *x]", 2), ("tags: {a: *x}", 2), ("*x : value", 2),
        ("? *x\n: value", 2), ("tags:\n- a\n- [b,\n   *x]", 5), ("scope: |\n  text\nowner: *x", 4), ("owner: &y *x", 2),
        ("tags: [\"a, *b\", *x]", 2), ("\"title\": *x", 2), ("title: 'it''s'\nowner: *x", 3),
    ])
    func aliasPositions(yaml: String, line: Int) throws {
        #expect(onlyError(load("---\n" + yaml + "\n---\n")) == "\(line) front-matter.yaml-alias")
    }

    @Test("an asterisk or ampersand inside text is not an alias", arguments: [
        "title: Do *not* skip the check", "title: \"*Urgent*\"", "title: '*Urgent*'", "title: R&D *and* QA",
        "scope: |\n  *not an alias*\n  - *nor this*", "scope: >\n  *folded*", "tags: [\"*a\", '*b']", "title: x # *comment",
        "title: a long title\n  *continued* on the next line", "title: Steps 1, *2* and 3", "title: Use [brackets] *here*",
        "url: http://example.com/*x", "owner: &anchor dana",
    ])
    func notAliases(yaml: String) throws {
        let result = load("---\n" + yaml + "\n---\n")
        #expect(!result.diagnostics.contains { $0.code == "front-matter.yaml-alias" }, "\(result.diagnostics)")
    }

    @Test("sopsite.yml and the owners file refuse aliases too")
    func aliasInConfig() throws {
        let config = SiteConfig.load(SourceFile(path: RepoPath("sopsite.yml"), bytes: Array("title: &t Site\nreview:\n  default_interval: *t\n".utf8)))
        #expect(config.diagnostics.map { "\($0.location) \($0.code)" } == ["sopsite.yml:3 config.yaml-alias"])
        let owners = Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array("dana: &d\n  name: Dana\nbob: *d\n".utf8)))
        #expect(owners.diagnostics.map { "\($0.location) \($0.code)" } == ["content/owners.yml:3 owners.yaml-alias"])
    }

    @Test("deeply nested YAML is an error, not a stack overflow")
    func deepNesting() throws {
        let yaml = "tags: " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        #expect(onlyError(load("---\ntitle: Refund\n" + yaml + "\n---\n")) == "3 front-matter.yaml")
    }

    @Test("dates in wrong forms: front-matter.date on the key's line, with the accepted form", arguments: [
        "2026-13-01", "2026-02-30", "01/03/2026", "1 March 2026", "2026-3-1", "yesterday", "2026-03-01T10:00:00Z", "20260301",
    ])
    func badDates(text: String) throws {
        let result = load("---\ntitle: Refund\neffective_date: \(text)\nlast_reviewed: 2026-01-01\n---\n")
        #expect(onlyError(result) == "3 front-matter.date")
        #expect(result.diagnostics.first?.fix == "write the date as yyyy-MM-dd, e.g. 2026-03-01")
    }

    @Test("durations in wrong forms, absurd or overflowing: front-matter.review-interval on the key's line", arguments: [
        "6 monts", "0 days", "forever", "-3 months", "P", "P1H", "101 years", "P101Y", "1201 months", "36526 days",
        "9223372036854775807 years", "P9223372036854775807Y", "99999999999999999999d", "P1Y1Y", "6 months ago",
    ])
    func badDurations(text: String) throws {
        let result = load("---\ntitle: Refund\n\nreview_interval: \(text)\n---\n")
        #expect(onlyError(result) == "4 front-matter.review-interval")
        #expect(result.diagnostics.first?.fix?.hasPrefix("write a positive period of at most 100 years") == true)
    }

    @Test("the longest accepted period is 100 years")
    func longestPeriod() {
        #expect(ReviewInterval(parsing: "100 years") == ReviewInterval(months: 1_200))
        #expect(ReviewInterval(parsing: "P100Y") == ReviewInterval(months: 1_200))
        #expect(ReviewInterval(parsing: "36525d") == ReviewInterval(days: 36_525))
    }

    @Test("a process: or id: that would climb out of the site is an error on its line", arguments: [
        ("process: ../../../tmp/escape", "front-matter.process"), ("process: ..", "front-matter.process"),
        ("process: support/../..", "front-matter.process"), ("id: ..", "front-matter.id"), ("id: ./.", "front-matter.id"),
    ])
    func pathLikeValues(line: String, code: String) throws {
        let process = loader.load(SourceFile(path: RepoPath("content/support/_process.md"), bytes: Array("---\ntitle: Support\n\(line)\n---\n".utf8)))
        #expect(process.value == nil)
        #expect(process.diagnostics.map { "\($0.location.line ?? 0) \($0.code)" } == ["3 \(code)"])
    }

    @Test("a list or mapping where one value belongs is reported once, on its line")
    func wrongShapes() throws {
        let result = load("---\nid: [SOP-1, SOP-2]\nprocess:\n  name: support\ntitle: Refund\n---\n")
        #expect(onlyError(result) == "2 front-matter.type, 3 front-matter.type")
        #expect(result.diagnostics.map(\.message) == ["id must be a single value, not a list", "process must be a single value, not a mapping"])
    }

    @Test("a process named by its title may contain a slash")
    func processTitleWithSlash() throws {
        let document = try #require(load("---\nprocess: Sales / Marketing\n---\n").value)
        #expect(document.processKey == "Sales / Marketing")
    }
}
