import Git
import History
import SOPCore
import Testing
import TestSupport

/// The history cache's text form, read on bytes: paths with the escaped characters survive a round trip, and damaged
/// files are refused whole.
@Suite struct HistoryCacheFormatTests {
    @Test("paths holding %, tab and newline survive saving and reading; the reread cache computes nothing")
    func escapedPathsRoundTrip() throws {
        let repo = try GitFixture()
        let odd = "content/100% sure\tnow\nthen.md"
        try repo.commit("Add", by: .alice, at: "2024-01-01T09:00:00+00:00", write: [odd: "# A\n\n1. One.\n", "content/b.md": "# B\n"])
        try repo.commit("Move", by: .bob, at: "2024-02-01T09:00:00+01:00", move: [(from: odd, to: "content/50%\tmoved.md")])
        try repo.commit("Edit", by: .carol, at: "2024-03-01T09:00:00-05:00", write: ["content/50%\tmoved.md": "# A\n\n1. One.\n2. Two.\n"])
        let options = HistoryIndex.Options(folder: RepoPath("content"))
        var cache = HistoryCache()
        let index = try HistoryIndex.build(from: repo.repository, options: options, cache: &cache).value
        let moved = try #require(index[RepoPath("content/50%\tmoved.md")])
        #expect(moved.previousPaths.map(\.value) == [odd])
        let text = cache.serialised()
        #expect(text.contains("100%25 sure%09now%0Athen.md"))
        var reread = try #require(HistoryCache(serialised: text))
        let again = try HistoryIndex.build(from: repo.repository, options: options, cache: &reread).value
        #expect(reread.computed == 0)
        #expect(again.paths == index.paths)
        #expect(again[RepoPath("content/50%\tmoved.md")].map { "\($0.commits)" } == "\(moved.commits)")
        #expect(reread.serialised() == text)
    }

    @Test("a damaged cache is refused whole", arguments: [
        "", "sopsite-history-cache 2\n", "sopsite-history-cache 1\nC\tnot-an-id\t0\n",
        "sopsite-history-cache 1\nC\t0002b715313d357659ece49f326c91bcd03eae07\t2\nM\ta.md\t\t0\t-\t-\n",
        "sopsite-history-cache 1\nC\t0002b715313d357659ece49f326c91bcd03eae07\t1\nX\ta.md\t\t0\t-\t-\n",
        "sopsite-history-cache 1\nC\t0002b715313d357659ece49f326c91bcd03eae07\t1\nM\ta.md\t\tseven\t-\t-\n",
        "sopsite-history-cache 1\nK\t0002b715313d357659ece49f326c91bcd03eae07\t0002b715313d357659ece49f326c91bcd03eae0g\tcontent\n",
        "sopsite-history-cache 1\nB\t0002b715313d357659ece49f326c91bcd03eae07\t--\tpath\n",
        "sopsite-history-cache 1\nZ\n",
    ])
    func damaged(_ text: String) {
        #expect(HistoryCache(serialised: text) == nil)
    }

    @Test("a well-formed cache is read, with or without a final newline")
    func wellFormed() {
        let body = "sopsite-history-cache 1\nC\t0002b715313d357659ece49f326c91bcd03eae07\t1\nM\ta.md\t\t0\t-\t0002b715313d357659ece49f326c91bcd03eae07\n"
            + "K\t0002b715313d357659ece49f326c91bcd03eae07\t0004e88997f80c8ed59a2f406e8a8e71e2601112\tcontent\n"
            + "B\t0002b715313d357659ece49f326c91bcd03eae07\t-\tsome%09path.md"
        #expect(HistoryCache(serialised: body) != nil)
        #expect(HistoryCache(serialised: body + "\n") != nil)
    }
}
