import Documents
import History
@testable import Outputs
import SiteModel
import SOPCore
import Testing

/// The page cache's binary form: what is written reads back the same, and damaged bytes read as nothing, never trap.
@Suite struct CacheRecordTests {
    func rendered() -> [RenderedPages] {
        let files = [
            "support/_process.md": "---\ntitle: Customer support\n---\nFrom ticket to answer.\n",
            "support/refund.md": "---\nid: SOP-CS-001\ntitle: Process a refund — café ☕\nprocess: support\nowner: ana\ntags: [billing, money]\n"
                + "review_interval: 6 months\n---\n# Process a refund\n\n## Scope\n\nAll refunds.\n\n1. Check the order.\n2. Refund it.\n",
            "support/other.md": "---\nid: SOP-CS-002\ntitle: Other\nprocess: support\n---\n# Other\n\nNo owner, no tags.\n",
        ]
        let documents = DocumentLoader(contentRoot: RepoPath("content"))
            .load(files.sorted { $0.key < $1.key }.map { SourceFile(path: RepoPath("content/" + $0.key), bytes: Array($0.value.utf8)) })
        let site = Site.assemble(documents: documents.value, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                                 config: SiteConfig(), now: Day(2025, 6, 1), options: Site.Options()).value
        let diagnostics = [
            Diagnostic(.warning, "link.broken", "the link to \"x.md\" leads nowhere", at: SourceLocation(RepoPath("content/support/refund.md"), line: 12, column: 3),
                       notes: [.init("did you mean y.md?", at: SourceLocation(RepoPath("content/y.md")))], fix: "correct the link"),
            Diagnostic(.error, "x", "", at: SourceLocation(RepoPath(""))),
        ]
        return site.pages.map {
            RenderedPages(entries: [SearchIndex.Entry(sop: $0, site: site, headings: ["Scope", "Steps"], plainText: "All refunds.\nCheck the order.")],
                        diagnostics: diagnostics, paths: [String($0.permalink.dropFirst()) + "index.html", "sop/x/rev/1/index.html"])
        }
    }

    func bytes(_ sop: RenderedPages) -> [UInt8] {
        var writer = CacheRecordWriter()
        sop.write(to: &writer)
        return writer.bytes
    }

    @Test("a rendered SOP reads back as written")
    func roundTrip() throws {
        let sops = rendered()
        #expect(sops.count == 2)
        #expect(Set(sops.map { $0.entries[0].owner == nil }) == [true, false])
        for sop in sops {
            let written = bytes(sop)
            var reader = CacheRecordReader(written)
            let reread = try #require(RenderedPages(reading: &reader))
            #expect(reader.isAtEnd)
            #expect(bytes(reread) == written)
            #expect(reread.entries[0].title == sop.entries[0].title)
            #expect(reread.entries[0].owner?.handle == sop.entries[0].owner?.handle)
            #expect(reread.entries[0].due == sop.entries[0].due && reread.entries[0].state == sop.entries[0].state && reread.entries[0].lifecycle == sop.entries[0].lifecycle)
            #expect(reread.entries[0].terms.map(\.term) == sop.entries[0].terms.map(\.term))
            #expect(reread.entries[0].terms.map(\.weight) == sop.entries[0].terms.map(\.weight))
            #expect(reread.diagnostics == sop.diagnostics)
            #expect(reread.paths == sop.paths)
        }
    }

    @Test("every truncation reads as nothing; random damage never traps")
    func damaged() {
        let written = bytes(rendered()[0])
        for cut in 0..<written.count {
            var reader = CacheRecordReader(Array(written[..<cut]))
            #expect(RenderedPages(reading: &reader) == nil, "cut at \(cut)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var damaged = written
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            var reader = CacheRecordReader(damaged)
            _ = RenderedPages(reading: &reader)
        }
    }

    @Test("a packed term list counts its non-empty pieces, as split does")
    func termCount() {
        for packed in ["", "\u{1F}", "a", "a\u{1F}b", "\u{1F}a\u{1F}\u{1F}b\u{1F}", "été\u{1F}x", "\u{1F}\u{1F}", "ab\u{1F}"] {
            #expect(SearchIndex.Entry.termCount(packed) == packed.utf8.split(separator: 0x1F).count, "\(Array(packed.utf8))")
        }
    }
}
