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

@Suite struct WordPairTests {
    @Test("both lines of an edited pair are marked from one edit script: what stays unmarked is the same on both sides")
    func oneScript() {
        var random = MyersTests.Generator(state: 11)
        let pieces = [".", ",", ";", "a", " ", "the", "check", "run"]
        // A pair from a generated knowledge base on which a script each way disagreed.
        var pairs = [("31. Wait 42 minutes, then re-run the health check; repeat at most three times.",
                      "31. Run the consistency check and attach the output to the ticket.")]
        for _ in 0..<3_000 {
            func line() -> String { (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined() }
            pairs.append((line(), line()))
        }
        for (oldLine, newLine) in pairs {
            let old = LinedText(whole: oldLine), new = LinedText(whole: newLine)
            let (removed, added) = TextDiff.wordPair(old, 0, new, 0)
            let keptOld = removed.filter { !$0.isChanged }.map { old.string($0.bytes) }.joined()
            let keptNew = added.filter { !$0.isChanged }.map { new.string($0.bytes) }.joined()
            #expect(keptOld == keptNew, "\(old.string(0..<old.bytes.count)) → \(new.string(0..<new.bytes.count))")
            #expect(removed.map { old.string($0.bytes) }.joined() == old.string(0..<old.bytes.count))
        }
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

/// The byte-based diff against the string-based one it replaced (kept here as the reference): the same lines, words and
/// marks for random texts, including lines and words that are equal only as Swift compares strings (canonical
/// equivalence), so the revision pages did not change.
@Suite struct TextDiffReferenceTests {
    static let pieces = ["Check", "the", "order", "number", " ", "  ", ".", ",", "é", "e\u{301}", "\u{212A}", "K", "réseau",
                         "re\u{301}seau", "\u{37E}", ";", "&", "<b>", "日本", "\u{301}", "\t", "1.", "refund"]

    func randomText(_ random: inout MyersTests.Generator) -> String {
        let lineCount = Int.random(in: 0...12, using: &random)
        return (0..<lineCount).map { _ in
            (0..<Int.random(in: 0...5, using: &random)).map { _ in Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &random)] }.joined()
        }.joined(separator: "\n")
    }

    @Test("the same lines and word marks as the string-based diff, on 3,000 random pairs")
    func sameAsReference() {
        var random = MyersTests.Generator(state: 7)
        for _ in 0..<3_000 {
            let old = randomText(&random)
            // Edit a few lines of the old text, so that most of it is common.
            var lines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let index = Int.random(in: 0...lines.count, using: &random)
                switch Int.random(in: 0...2, using: &random) {
                case 0 where index < lines.count: lines.remove(at: index)
                case 1 where index < lines.count: lines[index] += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &random)]
                default: lines.insert(randomText(&random), at: index)
                }
            }
            let new = lines.joined(separator: "\n")
            #expect(TextDiff(old: old, new: new).lines == ReferenceTextDiff(old: old, new: new).lines, "old: \(old.debugDescription) new: \(new.debugDescription)")
        }
    }

    @Test("lines equal only canonically are the same line; a Kelvin sign is a K")
    func canonicalLines() {
        #expect(TextDiff(old: "caf\u{E9}\nx", new: "cafe\u{301}\ny").lines.first == .same("cafe\u{301}"))
        #expect(TextDiff(old: "\u{212A}\nx", new: "K\ny").lines.first == .same("K"))
        #expect(TextDiff(old: "a\n\u{212A}", new: "b\nK").lines.last == .same("K"))
    }

    @Test("the page's HTML is the views' HTML: lines, gaps, marks, escaping")
    func htmlMatchesViews() {
        var random = MyersTests.Generator(state: 11)
        for _ in 0..<500 {
            let old = randomText(&random), new = randomText(&random) + "\n" + old
            let diff = RevisionDiff(TextDiff(old: old, new: new))
            var html = ""
            for line in diff.lineViews {
                html += "<span class=\"diff__line diff__line--\(line.kind)\"><span class=\"diff__sign\" aria-hidden=\"true\">\(line.sign)</span>"
                for segment in line.segments {
                    html += segment.isChanged ? "<mark>" + HTMLEscaping.escape(segment.text) + "</mark>" : HTMLEscaping.escape(segment.text)
                }
                html += "</span>"
            }
            #expect(diff.html == html)
        }
    }
}

/// The string-based diff that `TextDiff` replaced, unchanged, as the reference for `TextDiffReferenceTests`.
struct ReferenceTextDiff {
    typealias Line = TextDiff.Line

    typealias Word = TextDiff.Word

    let lines: [Line]

    var addedCount: Int { lines.count { if case .added = $0 { true } else { false } } }
    var removedCount: Int { lines.count { if case .removed = $0 { true } else { false } } }

    init(old: String, new: String) {
        let before = Self.lines(old), after = Self.lines(new)
        var ids: [Substring: Int32] = [:]
        func intern(_ line: Substring) -> Int32 {
            if let id = ids[line] { return id }
            let id = Int32(ids.count)
            ids[line] = id
            return id
        }
        let edits = Myers.edits(before.map(intern), after.map(intern))
        // Walk both sides in order: removals of the old text come before the insertions that replace them.
        var result: [Line] = []
        var i = 0, j = 0
        while i < before.count || j < after.count {
            var removedRun: [Substring] = [], addedRun: [Substring] = []
            while i < before.count, edits.deleted[i] { removedRun.append(before[i]); i += 1 }
            while j < after.count, edits.inserted[j] { addedRun.append(after[j]); j += 1 }
            // Pair edited lines for word-level marks.
            for (index, line) in removedRun.enumerated() {
                let partner = index < addedRun.count ? addedRun[index] : nil
                result.append(.removed(String(line), words: partner.map { Self.wordPair(old: line, new: $0).removed } ?? [Word(text: String(line), isChanged: true)]))
            }
            for (index, line) in addedRun.enumerated() {
                let partner = index < removedRun.count ? removedRun[index] : nil
                result.append(.added(String(line), words: partner.map { Self.wordPair(old: $0, new: line).added } ?? [Word(text: String(line), isChanged: true)]))
            }
            if removedRun.isEmpty, addedRun.isEmpty {
                if i < before.count, j < after.count {
                    result.append(.same(String(after[j])))
                    i += 1
                    j += 1
                } else if i < before.count {
                    i += 1
                } else {
                    j += 1
                }
            }
        }
        lines = result
    }

    /// The text's lines (split at `\n`; a final newline gives a last empty line, as before).
    static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.utf8.startIndex
        for index in text.utf8.indices where text.utf8[index] == 0x0A {
            result.append(text[start..<index])
            start = text.utf8.index(after: index)
        }
        result.append(text[start...])
        return result
    }

    /// The words of a pair of edited lines, from one shortest edit script from `old` to `new`: deleted words marked
    /// in `old`, inserted ones in `new`.
    static func wordPair(old: Substring, new: Substring) -> (removed: [Word], added: [Word]) {
        let theirs = tokens(old), mine = tokens(new)
        // Tokens are short and each is compared a few times: directly, not interned.
        let edits = Myers.edits(theirs, mine)
        return (runs(old, theirs, edits.deleted), runs(new, mine, edits.inserted))
    }

    static func runs(_ line: Substring, _ tokens: [Substring], _ changed: [Bool]) -> [Word] {
        var result: [Word] = []
        var run = Substring(), runChanged = false
        for (index, token) in tokens.enumerated() {
            let isChanged = changed[index]
            if !run.isEmpty, isChanged != runChanged {
                result.append(Word(text: String(run), isChanged: runChanged))
                run = Substring()
            }
            // Consecutive tokens are adjacent in `line`: widen the run instead of concatenating.
            run = run.isEmpty ? token : Substring(line.unicodeScalars[run.startIndex..<token.endIndex])
            runChanged = isChanged
        }
        if !run.isEmpty { result.append(Word(text: String(run), isChanged: runChanged)) }
        return result
    }

    /// Runs of letters and digits (with their combining marks), runs of spaces, and single other characters, so that
    /// "order." and "order number." differ by " number" only; joining the tokens gives the line back.
    static func tokens(_ line: Substring) -> [Substring] {
        enum Kind { case word, space, other }
        func kind(_ scalar: Unicode.Scalar, after previous: Kind?) -> Kind {
            switch scalar.value {
            case 0x20, 0x09: return .space
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .word
            case 0...0x7F: return .other
            default:
                let properties = scalar.properties
                switch properties.generalCategory {
                case .nonspacingMark, .spacingMark, .enclosingMark: return previous == .word ? .word : .other
                default: return properties.isAlphabetic || properties.numericType != nil ? .word : .other
                }
            }
        }
        var tokens: [Substring] = []
        let scalars = line.unicodeScalars
        var start = scalars.startIndex
        var current: Kind?
        for index in scalars.indices {
            let next = kind(scalars[index], after: current)
            if let current, next != current || next == .other, index > start {
                tokens.append(Substring(scalars[start..<index]))
                start = index
            }
            current = next
        }
        if start < scalars.endIndex { tokens.append(Substring(scalars[start..<scalars.endIndex])) }
        return tokens
    }
}


@Suite struct LinedTextTests {
    @Test("lines and their ASCII marks found with memchr and eight-byte words are the byte-by-byte ones, on 2,000 random texts")
    func sameAsByteByByte() {
        var random = MyersTests.Generator(state: 5)
        let pieces = ["a", "\n", "é", "\r", "0123456789", "日本", "\n\n", " "]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...20, using: &random)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
            let bytes = Array(text.utf8)
            var lines: [Range<Int>] = [], start = 0
            for (index, byte) in bytes.enumerated() where byte == 0x0A {
                lines.append(start..<index)
                start = index + 1
            }
            lines.append(start..<bytes.count)
            let lined = LinedText(text)
            #expect(lined.lines == lines, "\(text.debugDescription)")
            #expect(lines.indices.map(lined.isASCII) == lines.map { bytes[$0].allSatisfy { $0 < 0x80 } }, "\(text.debugDescription)")
        }
    }
}
