import SOPCore
import Testing

/// Paths are split and ordered as Git's bytes: ASCII paths take a shortcut, which must give the same answers.
@Suite struct RepoPathTests {
    @Test("components, file name and parent of ASCII paths, leading, doubled and trailing slashes included")
    func asciiParts() {
        #expect(RepoPath("content/support/refund.md").components == ["content", "support", "refund.md"])
        #expect(RepoPath("/a//b/").components == ["a", "b"])
        #expect(RepoPath("").components == [])
        #expect(RepoPath("content/support/refund.md").fileName == "refund.md")
        #expect(RepoPath("a/b/").fileName == "b")
        #expect(RepoPath("refund.md").fileName == "refund.md")
        #expect(RepoPath("").fileName == "")
        #expect(RepoPath("//").fileName == "//")
        #expect(RepoPath("/a").fileName == "a")
        #expect(RepoPath("content/support/refund.md").parent == RepoPath("content/support"))
        #expect(RepoPath("refund.md").parent == RepoPath(""))
        #expect(RepoPath("a/b/").parent == RepoPath("a/b"))
    }

    @Test("other text is split by characters: a slash joined to a combining mark is not a separator")
    func nonASCIIParts() {
        #expect(RepoPath("qualité/procédure.md").components == ["qualité", "procédure.md"])
        #expect(RepoPath("qualité/procédure.md").parent == RepoPath("qualité"))
        #expect(RepoPath("qualité/procédure.md").fileName == "procédure.md")
        let joined = RepoPath("a/\u{301}b.md")
        #expect(joined.components.count == 1)
        #expect(joined.parent == RepoPath(""))
    }

    @Test("paths sort by their UTF-8 bytes, as Git sorts them", arguments: [
        ("a/b.md", "a0.md", true),       // "/" (0x2F) sorts before "0" (0x30)
        ("a.md", "a.md", false),
        ("a", "a/b", true),              // a prefix first
        ("z.md", "é.md", true),          // é's first byte is 0xC3
        ("short", "a-path-longer-than-fifteen-bytes.md", false),
        ("content/support/a-long-name.md", "content/support/a-long-name.mdx", true),
    ])
    func byteOrder(_ left: String, _ right: String, _ precedes: Bool) {
        #expect((RepoPath(left) < RepoPath(right)) == precedes)
        #expect((RepoPath(left) < RepoPath(right)) == left.utf8.lexicographicallyPrecedes(right.utf8))
    }
}
