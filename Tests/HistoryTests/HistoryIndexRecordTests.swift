import Git
import History
import SOPCore
import Testing
import TestSupport

/// The whole history index in the cache's binary form (`history-index.bin`, read by a build at an unchanged HEAD): it
/// reads back equal, field by field, and damaged bytes read as nothing.
@Suite struct HistoryIndexRecordTests {
    func index() throws -> HistoryIndex {
        let repo = try GitFixture()
        try repo.commit("Add", by: .alice, at: "2024-01-01T09:00:00+00:00", write: [
            "content/a.md": "---\nid: SOP-1\n---\n# A\n\n1. One.\n", "content/b.md": "# B\n\nText.\n",
        ])
        try repo.branch("side")
        try repo.commit("Side edit", by: .dave, at: "2024-01-15T09:00:00-03:30", write: ["content/b.md": "# B\n\nMore text.\n"], on: "side")
        try repo.commit("Move a", by: .bob, at: "2024-02-01T09:00:00+05:45", move: [(from: "content/a.md", to: "content/sub/a.md")])
        try repo.merge("side", "Merge side", by: .carol, at: "2024-02-10T09:00:00+01:00")
        try repo.commit("Review\n\nChecked every step.\n\nReviewed: SOP-1", by: .bob, at: "2024-03-01T09:00:00-05:00",
                        write: ["content/sub/a.md": "---\nid: SOP-1\n---\n# A\n\n1. One.\n2. Two.\n"])
        try repo.commit("Delete b", by: .alice, at: "2024-04-01T09:00:00+00:00", delete: ["content/b.md"])
        try repo.commit("B again", by: .carol, at: "2024-05-01T09:00:00+00:00", write: ["content/b.md": "# B\n\nNew.\n"])
        return try HistoryIndex.build(from: repo.repository, options: .init(folder: RepoPath("content"))).value
    }

    func bytes(_ index: HistoryIndex) -> [UInt8] {
        var writer = CacheRecordWriter()
        index.write(to: &writer)
        return writer.bytes
    }

    @Test("an index with renames, a merge, a deletion, a trailer and several time zones reads back equal")
    func roundTrip() throws {
        let index = try index()
        var reader = CacheRecordReader(bytes(index))
        let reread = try #require(HistoryIndex(reading: &reader))
        #expect(reader.isAtEnd)
        #expect(reread.head == index.head && reread.commitCount == index.commitCount && reread.isShallow == index.isShallow)
        #expect(reread.reviewTrailers == index.reviewTrailers && !index.reviewTrailers.isEmpty)
        #expect(reread.paths == index.paths && index.paths.count == 2)
        for path in index.paths {
            let (a, b) = (try #require(index[path]), try #require(reread[path]))
            #expect(a.commits == b.commits && a.headBlob == b.headBlob && a.path == b.path)
        }
        let kinds = Set(index.paths.flatMap { index[$0]!.commits.map(\.effect) }.map { "\($0)".prefix(4) })
        #expect(kinds == ["adde", "modi", "rena", "dele"], "every effect is exercised: \(kinds)")
    }

    @Test("every truncation reads as nothing; random damage never traps")
    func damaged() throws {
        let written = bytes(try index())
        for cut in stride(from: 0, to: written.count, by: 3) {
            var reader = CacheRecordReader(Array(written[..<cut]))
            #expect(HistoryIndex(reading: &reader) == nil || !reader.isAtEnd, "cut at \(cut)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            var damaged = written
            damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            var reader = CacheRecordReader(damaged)
            _ = HistoryIndex(reading: &reader)
        }
    }
}
