import Documents
import SOPCore
import Testing

/// Documents remembered between builds (`--cache`): a document reads back exactly as loaded, and a memo gives the same
/// documents and diagnostics as parsing, parsing only files whose bytes changed.
@Suite struct DocumentMemoTests {
    let loader = DocumentLoader(contentRoot: RepoPath("content"))

    let files = [
        SourceFile(path: RepoPath("content/support/_process.md"), bytes: Array("""
            ---
            title: Customer support
            owner: "@ana"
            start: A ticket arrives
            end: The customer has an answer
            stakeholders: [customers, agents]
            outcome: Every ticket answered within a day
            ---
            From ticket to answer.

            """.utf8)),
        SourceFile(path: RepoPath("content/support/refund.md"), bytes: Array("""
            ---
            id: SOP-CS-001
            title: Process a refund — café ☕
            process: support
            owner: bob
            review_interval: 90 days
            criticality: high
            scope: Card refunds up to 500 EUR
            tags: [billing, money]
            effective_date: 2024-02-01
            supersedes: [SOP-CS-000]
            last_reviewed: 2024-03-01
            revision_offset: 3
            order: 2
            ---
            # Process a refund

            1. Check the order.
            2. Refund it.

            """.utf8)),
        SourceFile(path: RepoPath("content/support/broken.md"), bytes: Array("---\ntitle: [unclosed\n---\nBody.\n".utf8)),
        SourceFile(path: RepoPath("content/support/plain.md"), bytes: Array("Just text, no title.\n".utf8)),
    ]

    /// Every stored property, through reflection (a field added later and left out of the record differs here), with
    /// the key lines sorted (a dictionary's order differs between two equal ones).
    func described(_ document: Document) -> String {
        let text = String(reflecting: document)
        guard let cut = text.range(of: ", keyLines: ") else { return text }
        return String(text[..<cut.lowerBound]) + "\(document.keyLines.sorted { $0.key < $1.key })"
    }

    @Test("a document reads back from the cache form exactly as loaded, field by field")
    func roundTrip() throws {
        for document in loader.load(files).value {
            var writer = CacheRecordWriter()
            document.write(to: &writer)
            var reader = CacheRecordReader(writer.bytes)
            let reread = try #require(Document(reading: &reader), "\(document.path)")
            #expect(reader.isAtEnd)
            #expect(described(reread) == described(document))
            for cut in stride(from: 0, to: writer.bytes.count, by: 7) {
                var truncated = CacheRecordReader(Array(writer.bytes[..<cut]))
                #expect(Document(reading: &truncated) == nil)
            }
        }
    }

    @Test("with a memo: the same documents and diagnostics as parsing; only changed files are parsed; a saved memo reads back")
    func memo() async throws {
        let plain = await loader.loadConcurrently(files)
        var memo = DocumentMemo()
        let first = await loader.loadConcurrently(files, memo: &memo)
        #expect(memo.parsed == 4)
        func same(_ a: Diagnosed<[Document]>, _ b: Diagnosed<[Document]>) -> Bool {
            a.value.map(described) == b.value.map(described) && a.diagnostics == b.diagnostics
        }
        #expect(same(first, plain))
        #expect(!first.diagnostics.isEmpty, "the broken file's error is remembered too")

        var saved = try #require(DocumentMemo(memo.bytes(header: "h"), header: "h"))
        #expect(DocumentMemo(memo.bytes(header: "h"), header: "other") == nil)
        var edited = files
        edited[3] = SourceFile(path: edited[3].path, bytes: Array("# Now with a title\n".utf8))
        let second = await loader.loadConcurrently(edited, memo: &saved)
        #expect(saved.parsed == 1)
        #expect(same(second, await loader.loadConcurrently(edited)))
        let afterEdit = saved.bytes(header: "h")
        let third = await loader.loadConcurrently(Array(edited.dropLast()), memo: &saved)
        #expect(saved.parsed == 0 && saved.count == 3)
        #expect(same(third, await loader.loadConcurrently(Array(edited.dropLast()))))

        // Written after the edit, the unchanged entries were copied as the bytes they were read as and the edited one
        // encoded anew: the file reads back to the same documents with nothing parsed, and so does its own rewrite.
        var reread = try #require(DocumentMemo(afterEdit, header: "h"))
        #expect(same(await loader.loadConcurrently(edited, memo: &reread), second) && reread.parsed == 0)
        let rewritten = reread.bytes(header: "h")
        #expect(rewritten.count == afterEdit.count)
        var again = try #require(DocumentMemo(rewritten, header: "h"))
        #expect(same(await loader.loadConcurrently(edited, memo: &again), second) && again.parsed == 0)
    }
}
