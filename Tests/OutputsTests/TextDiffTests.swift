@testable import Outputs
import Testing

@Suite struct TextDiffTests {
    @Test("an edited line shows as removed and added, with the changed words marked")
    func editedLine() {
        let diff = TextDiff(old: "# Refund\n\n1. Check the order.\n2. Refund it.\n", new: "# Refund\n\n1. Check the order number.\n2. Refund it.\n")
        #expect(diff.addedCount == 1)
        #expect(diff.removedCount == 1)
        guard case .added(let line, let words)? = diff.lines.first(where: { if case .added = $0 { true } else { false } }) else {
            Issue.record("no added line")
            return
        }
        #expect(line == "1. Check the order number.")
        #expect(words.filter(\.isChanged).map(\.text).joined() == " number")
        #expect(words.map(\.text).joined() == line)
    }

    @Test("pure insertions and deletions keep the unchanged lines in order")
    func insertionsAndDeletions() {
        let diff = TextDiff(old: "a\nb\nc", new: "a\nc\nd")
        #expect(diff.lines == [.same("a"), .removed("b", words: [.init(text: "b", isChanged: true)]), .same("c"),
                               .added("d", words: [.init(text: "d", isChanged: true)])])
    }
}

@Suite struct MyersTests {
    /// A deterministic generator, so a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
    }

    @Test("the edit script is a shortest one (as long as the standard library's) and keeps a common subsequence")
    func shortestScript() {
        var random = Generator(state: 42)
        for _ in 0..<500 {
            let a = (0..<Int.random(in: 0...30, using: &random)).map { _ in Int32.random(in: 0...4, using: &random) }
            let b = (0..<Int.random(in: 0...30, using: &random)).map { _ in Int32.random(in: 0...4, using: &random) }
            let edits = Myers.edits(a, b)
            let keptA = a.indices.filter { !edits.deleted[$0] }.map { a[$0] }
            let keptB = b.indices.filter { !edits.inserted[$0] }.map { b[$0] }
            #expect(keptA == keptB, "a: \(a) b: \(b)")
            #expect(edits.deleted.count { $0 } + edits.inserted.count { $0 } == b.difference(from: a).count, "a: \(a) b: \(b)")
        }
    }

    @Test("past the bound, the changed middle is shown as removed and added whole; the common head and tail stay")
    func bounded() {
        let a = [Int32(-1)] + (0..<3_000).map { Int32($0) } + [-2]
        let b = [Int32(-1)] + (0..<3_000).map { Int32($0 + 10_000) } + [-2]
        let edits = Myers.edits(a, b)
        #expect(!edits.deleted[0] && !edits.inserted[0] && !edits.deleted[3_001] && !edits.inserted[3_001])
        #expect(edits.deleted.count { $0 } == 3_000 && edits.inserted.count { $0 } == 3_000)
    }

    @Test("words: non-ASCII letters with combining marks stay one word; joining the tokens gives the line back")
    func tokens() {
        let line: Substring = "Vérifiez le re\u{301}seau: 3 étapes."
        let tokens = TextDiff.tokens(line)
        #expect(tokens.joined() == line)
        #expect(tokens.contains("re\u{301}seau"))
        #expect(tokens.contains("Vérifiez"))
    }
}

@Suite struct WordDiffEdgeTests {
    @Test("a combining mark after a space or punctuation is its own token; the line comes back whole")
    func strayMarks() {
        for line: Substring in [" \u{301}x", "a.\u{301}b", "\u{301}", "e\u{301} \u{301}"] {
            #expect(TextDiff.tokens(line).joined() == line)
            let words = TextDiff.words(line, against: "x")
            #expect(words.map(\.text).joined() == line)
        }
    }
}
