import Documents
import SOPCore
import Testing

@Suite struct DocumentLoaderTests {
    let loader = DocumentLoader(contentRoot: RepoPath("content"))

    func load(_ path: String, _ text: String) -> Diagnosed<Document?> {
        loader.load(SourceFile(path: RepoPath(path), bytes: Array(text.utf8)))
    }

    @Test("front matter gives id, title, process, owner and review interval")
    func frontMatterFields() throws {
        let result = load("content/support/refund.md", """
        ---
        id: SOP-CS-004
        title: How to process a customer refund
        owner: "@dana"
        review_interval: 6 months
        tags: [refunds, payments]
        ---
        ## Steps

        1. Check the order.
        """)
        let document = try #require(result.value)
        #expect(result.diagnostics.isEmpty)
        #expect(document.id == "SOP-CS-004")
        #expect(document.title == "How to process a customer refund")
        #expect(document.processKey == "support")
        #expect(document.owner == "dana")
        #expect(document.reviewInterval == ReviewInterval(months: 6))
        #expect(document.tags == ["refunds", "payments"])
        #expect(document.bodyFirstLine == 8)
    }

    @Test("an empty owner is no owner, not a handle named \"\"", arguments: ["\"\"", "\"@\"", "\"  \"", "''"])
    func emptyOwner(owner: String) throws {
        let document = try #require(load("content/ops/x.md", "---\ntitle: X\nowner: \(owner)\n---\nBody\n").value)
        #expect(document.owner == nil)
        #expect(try #require(load("content/ops/y.md", "---\ntitle: Y\nowner: \" @dana \"\n---\nBody\n").value).owner == "dana")
    }

    @Test("without front matter: title from the first level-one heading, id from the path")
    func noFrontMatter() throws {
        let document = try #require(load("content/ops/restart-the-api.md", "# Restart the API\n\nRun it.\n").value)
        #expect(document.title == "Restart the API")
        #expect(document.titleSource == .heading)
        #expect(document.bodyStartsWithTitle)
        #expect(document.id == "ops/restart-the-api")
        #expect(document.kind == .procedure)
    }

    @Test("without a title or heading, the file name is the title, as in MkDocs")
    func titleFromFileName() throws {
        let document = try #require(load("content/ops/rotate-keys.md", "Just text.\n").value)
        #expect(document.title == "Rotate keys")
        #expect(document.titleSource == .fileName)
    }

    @Test("a YAML error names the file line, counting the front matter's opening fence")
    func yamlErrorLine() throws {
        let result = load("content/support/refund.md", "---\ntitle: Refund\nowner: \"dana\n---\nBody\n")
        #expect(result.value == nil)
        let error = try #require(result.diagnostics.first)
        #expect(error.code == "front-matter.yaml")
        #expect(error.location.path == RepoPath("content/support/refund.md"))
        #expect(error.location.line == 3 || error.location.line == 4)
    }

    @Test("a tab used for indentation is explained")
    func tabIndentation() throws {
        let result = load("content/a.md", "---\ntitle: A\ntags:\n\t- x\n---\n")
        let error = try #require(result.diagnostics.first)
        #expect(error.code == "front-matter.yaml")
        #expect(error.location.line == 4)
        #expect(error.fix?.contains("tabs") == true)
    }

    @Test("an unclosed front matter is an error on line 1")
    func unclosedFrontMatter() throws {
        let result = load("content/a.md", "---\ntitle: A\n\n# A\n")
        #expect(result.value == nil)
        #expect(result.diagnostics.map(\.code) == ["front-matter.unclosed"])
        #expect(result.diagnostics.first?.location.line == 1)
    }

    @Test("a field of the wrong type and a bad interval are both reported, each with its line")
    func severalProblems() throws {
        let result = load("content/a.md", "---\ntitle:\n  nested: map\nreview_interval: 6 monts\n---\n")
        #expect(result.value == nil)
        #expect(result.diagnostics.map(\.code).sorted() == ["front-matter.review-interval", "front-matter.type"])
        let interval = try #require(result.diagnostics.first { $0.code == "front-matter.review-interval" })
        #expect(interval.location.line == 4)
        #expect(interval.fix?.contains("6 months") == true)
        #expect(result.diagnostics.first { $0.code == "front-matter.type" }?.location.line == 2)
    }

    @Test("an unknown key is a warning with a suggestion")
    func unknownKey() throws {
        let result = load("content/a.md", "---\ntitle: A\nreveiw_interval: 6 months\n---\n")
        #expect(result.value != nil)
        let warning = try #require(result.diagnostics.first)
        #expect(warning.severity == .warning)
        #expect(warning.location.line == 3)
        #expect(warning.fix == "did you mean \"review_interval\"?")
    }

    @Test("CRLF line endings and a byte-order mark leave no carriage return in any value (B09)")
    func crlf() throws {
        let text = "\u{FEFF}---\r\ntitle: Rotate TLS certificates\r\nowner: web\r\nreview_interval: 3 months\r\n---\r\n# Rotate\r\n\r\n1. Renew.\r\n"
        let document = try #require(load("content/tls.md", text).value)
        #expect(document.title == "Rotate TLS certificates")
        #expect(document.owner == "web")
        #expect(!document.body.contains("\r"))
    }

    @Test("invalid UTF-8 and binary data are errors, not crashes")
    func badBytes() throws {
        let invalid = loader.load(SourceFile(path: RepoPath("content/a.md"), bytes: Array("line one\nline two \u{E9}".utf8.dropLast(1))))
        #expect(invalid.diagnostics.first?.code == "source.encoding")
        #expect(invalid.diagnostics.first?.location.line == 2)
        let binary = loader.load(SourceFile(path: RepoPath("content/b.md"), bytes: [0x89, 0x50, 0x4E, 0x47, 0, 0, 0]))
        #expect(binary.diagnostics.first?.code == "source.binary")
    }

    @Test("a folder's _process.md is the process, keyed by the folder", arguments: ["_process.md", "index.md"])
    func processFile(name: String) throws {
        let document = try #require(load("content/hiring/\(name)", "---\ntitle: Hiring\nstart: A role is approved\n---\nWhy.\n").value)
        #expect(document.kind == .process)
        #expect(document.processKey == "hiring")
        #expect(document.start == "A role is approved")
    }

    @Test("review intervals: accepted forms", arguments: [
        ("6 months", ReviewInterval(months: 6)), ("1 year", ReviewInterval(months: 12)), ("90 days", ReviewInterval(days: 90)),
        ("P3M", ReviewInterval(months: 3)), ("P1Y", ReviewInterval(months: 12)), ("2 weeks", ReviewInterval(days: 14)),
        ("quarterly", ReviewInterval(months: 3)),
    ])
    func intervals(text: String, expected: ReviewInterval) {
        #expect(ReviewInterval(parsing: text) == expected)
    }

    @Test("review intervals: rejected forms", arguments: ["6 monts", "0 months", "-1 year", "P", "6", "six months"])
    func badIntervals(text: String) {
        #expect(ReviewInterval(parsing: text) == nil)
    }
}
