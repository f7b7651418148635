import Foundation

/// A line diff of two texts, with word-level changes inside lines that were edited: for showing what a revision
/// changed. Myers' O(ND) algorithm (as `git diff` uses by default) over interned lines, after the common head and
/// tail are set aside, so the usual revision (a few lines edited in a long file) costs little more than one pass.
///
/// Works on the texts' UTF-8 bytes and line and token ranges, and makes strings only for what a page shows: this ran
/// for each of 19,000 revision pages, and Substring hashing, comparison and copies were a tenth of a build. Lines and
/// words compare as Swift strings do (canonical equivalence: `é` precomposed equals `e` + U+0301), which on ASCII is
/// byte equality; text with other characters takes the string comparison.
struct TextDiff {
    enum Line: Equatable {
        case same(String)
        case removed(String, words: [Word])
        case added(String, words: [Word])
    }

    /// A run of words in a changed line, marked when it is what changed.
    struct Word: Equatable {
        let text: String
        let isChanged: Bool
    }

    /// One line of the diff in reading order, by 0-based line number in the old and the new text.
    enum Edit: Equatable {
        case same(old: Int, new: Int)
        /// `partner`: the added line it is paired with for word marks, if any.
        case removed(Int, partner: Int?)
        case added(Int, partner: Int?)

        var isChange: Bool { if case .same = self { false } else { true } }
    }

    let old: LinedText
    let new: LinedText
    let edits: [Edit]

    var lines: [Line] {
        edits.map { edit in
            switch edit {
            case .same(_, let line): return .same(new.string(line))
            case .removed(let line, let partner):
                return .removed(old.string(line), words: removedRuns(line, partner: partner).map {
                    Word(text: old.string($0.bytes), isChanged: $0.isChanged)
                })
            case .added(let line, let partner):
                return .added(new.string(line), words: addedRuns(line, partner: partner).map {
                    Word(text: new.string($0.bytes), isChanged: $0.isChanged)
                })
            }
        }
    }

    var addedCount: Int { edits.count { if case .added = $0 { true } else { false } } }
    var removedCount: Int { edits.count { if case .removed = $0 { true } else { false } } }

    init(old oldText: String, new newText: String) {
        self.init(old: LinedText(oldText), new: LinedText(newText))
    }

    init(old before: LinedText, new after: LinedText) {
        old = before
        new = after
        let n = before.lines.count, m = after.lines.count
        // Set aside the byte-equal head and tail before interning (most of a file, for the usual revision). Where the
        // head stops at a line with non-ASCII text, a canonically equal line may continue it: the tail is then left
        // to Myers, which strips head and tail by the interned (canonical) ids, so the script is the same either way.
        var head = 0
        while head < n, head < m, before.bytesEqual(head, after, head) { head += 1 }
        var tail = 0
        if head == n || head == m || (before.isASCII(head) && after.isASCII(head)) {
            while tail < n - head, tail < m - head, before.bytesEqual(n - 1 - tail, after, m - 1 - tail) { tail += 1 }
        }
        var interner = LineInterner(old: before, new: after, capacity: n + m - 2 * (head + tail))
        let a = (head..<(n - tail)).map { interner.id(before, side: 0, $0) }
        let b = (head..<(m - tail)).map { interner.id(after, side: 1, $0) }
        let middle = Myers.edits(a, b)
        var deleted = [Bool](repeating: false, count: n), inserted = [Bool](repeating: false, count: m)
        for (index, isDeleted) in middle.deleted.enumerated() where isDeleted { deleted[head + index] = true }
        for (index, isInserted) in middle.inserted.enumerated() where isInserted { inserted[head + index] = true }

        // Walk both sides in order: removals of the old text come before the insertions that replace them; edited
        // lines are paired, in order, for word-level marks.
        var result: [Edit] = []
        result.reserveCapacity(max(n, m) + 8)
        var i = 0, j = 0
        while i < n || j < m {
            let removedStart = i, addedStart = j
            while i < n, deleted[i] { i += 1 }
            while j < m, inserted[j] { j += 1 }
            let removed = i - removedStart, added = j - addedStart
            for index in 0..<removed { result.append(.removed(removedStart + index, partner: index < added ? addedStart + index : nil)) }
            for index in 0..<added { result.append(.added(addedStart + index, partner: index < removed ? removedStart + index : nil)) }
            if removed == 0, added == 0 {
                if i < n, j < m {
                    result.append(.same(old: i, new: j))
                    i += 1
                    j += 1
                } else if i < n {
                    i += 1
                } else {
                    j += 1
                }
            }
        }
        edits = result
    }

    // MARK: Words

    /// A run of tokens of a changed line: its bytes in the text, marked when it is what changed.
    struct Run: Equatable {
        let bytes: Range<Int>
        let isChanged: Bool
    }

    /// The word runs of removed line `line`: marked where one shortest edit script from it to its partner deletes
    /// words (`wordPair`); the whole line, marked, when it has no partner (an empty line included), as the page shows it.
    func removedRuns(_ line: Int, partner: Int?) -> [Run] {
        partner.map { Self.wordPair(old, line, new, $0).removed } ?? [Run(bytes: old.lines[line], isChanged: true)]
    }

    /// The word runs of added line `line`, marked where the script from its partner inserts words.
    func addedRuns(_ line: Int, partner: Int?) -> [Run] {
        partner.map { Self.wordPair(old, $0, new, line).added } ?? [Run(bytes: new.lines[line], isChanged: true)]
    }

    /// The word runs of a pair of edited lines from one shortest edit script from the old line to the new one, as
    /// `git diff --word-diff` marks a pair: the old line's runs marked where words are deleted, the new line's where
    /// words are inserted. (Two scripts, one each way, could disagree where several are shortest, and cost twice.)
    static func wordPair(_ old: LinedText, _ oldLine: Int, _ new: LinedText, _ newLine: Int) -> (removed: [Run], added: [Run]) {
        let theirs = tokens(old, oldLine), mine = tokens(new, newLine)
        // Tokens are short and each is compared a few times: directly, not interned.
        let edits = Myers.edits(count: theirs.count, mine.count) { x, y in
            tokensEqual(old, theirs[x], new, mine[y])
        }
        return (runs(theirs, edits.deleted), runs(mine, edits.inserted))
    }

    /// Adjacent tokens with the same mark joined into runs.
    static func runs(_ tokens: [Token], _ changed: [Bool]) -> [Run] {
        var result: [Run] = []
        var runStart = 0, runEnd = 0, runChanged = false
        for (index, token) in tokens.enumerated() {
            let isChanged = changed[index]
            if runEnd > runStart, isChanged != runChanged {
                result.append(Run(bytes: runStart..<runEnd, isChanged: runChanged))
                runStart = token.bytes.lowerBound
            } else if runEnd == runStart {
                runStart = token.bytes.lowerBound
            }
            // Consecutive tokens are adjacent in the line: widen the run.
            runEnd = token.bytes.upperBound
            runChanged = isChanged
        }
        if runEnd > runStart { result.append(Run(bytes: runStart..<runEnd, isChanged: runChanged)) }
        return result
    }

    /// The words of `line`, marked where the script from `other` inserts them (strings in, strings out: for tests and
    /// callers without a `TextDiff`).
    static func words(_ line: Substring, against other: Substring) -> [Word] {
        // A single line each: a "\n" inside would make more lines, so take the whole text as one range.
        let mineText = LinedText(whole: String(line)), theirText = LinedText(whole: String(other))
        return wordPair(theirText, 0, mineText, 0).added.map { Word(text: mineText.string($0.bytes), isChanged: $0.isChanged) }
    }

    struct Token {
        let bytes: Range<Int>
        let isASCII: Bool
    }

    /// Runs of letters and digits (with their combining marks), runs of spaces, and single other characters, so that
    /// "order." and "order number." differ by " number" only; joining the tokens gives the line back.
    static func tokens(_ text: LinedText, _ line: Int) -> [Token] {
        enum Kind { case word, space, other }
        let range = text.lines[line]
        var tokens: [Token] = []
        text.bytes.withUnsafeBufferPointer { bytes in
            var start = range.lowerBound
            var current: Kind?
            var tokenIsASCII = true
            var index = range.lowerBound
            while index < range.upperBound {
                let byte = bytes[index]
                let next: Kind
                let length: Int
                if byte < 0x80 {
                    length = 1
                    switch byte {
                    case 0x20, 0x09: next = .space
                    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: next = .word
                    default: next = .other
                    }
                } else {
                    let (scalar, scalarLength) = decodeScalar(bytes, at: index)
                    length = scalarLength
                    let properties = scalar.properties
                    switch properties.generalCategory {
                    case .nonspacingMark, .spacingMark, .enclosingMark: next = current == .word ? .word : .other
                    default: next = properties.isAlphabetic || properties.numericType != nil ? .word : .other
                    }
                }
                if current != nil, next != current || next == .other, index > start {
                    tokens.append(Token(bytes: start..<index, isASCII: tokenIsASCII))
                    start = index
                    tokenIsASCII = true
                }
                if byte >= 0x80 { tokenIsASCII = false }
                current = next
                index += length
            }
            if start < range.upperBound { tokens.append(Token(bytes: start..<range.upperBound, isASCII: tokenIsASCII)) }
        }
        return tokens
    }

    /// The tokens of `line` as substrings (for tests).
    static func tokens(_ line: Substring) -> [Substring] {
        let text = LinedText(whole: String(line))
        return tokens(text, 0).map { Substring(text.string($0.bytes)) }
    }

    /// The scalar whose UTF-8 encoding starts at `index` (valid UTF-8: it came from a `String`), and its length.
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[index])
        var value: UInt32, length: Int
        if lead < 0xE0 {
            value = lead & 0x1F; length = 2
        } else if lead < 0xF0 {
            value = lead & 0x0F; length = 3
        } else {
            value = lead & 0x07; length = 4
        }
        for offset in 1..<length { value = value << 6 | (UInt32(bytes[index + offset]) & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    static func tokensEqual(_ a: LinedText, _ x: Token, _ b: LinedText, _ y: Token) -> Bool {
        if x.isASCII, y.isASCII {
            return x.bytes.count == y.bytes.count && a.bytesEqual(x.bytes, b, y.bytes)
        }
        if a.bytesEqual(x.bytes, b, y.bytes) { return true }
        return a.string(x.bytes) == b.string(y.bytes)
    }
}

/// A text's UTF-8 bytes and its lines (split at `\n`; a final newline gives a last empty line).
struct LinedText {
    let bytes: [UInt8]
    let lines: [Range<Int>]
    /// Per line, whether it is ASCII only.
    private let ascii: [Bool]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var lines: [Range<Int>] = [], ascii: [Bool] = []
        bytes.withUnsafeBufferPointer { buffer in
            // Line ends found with memchr; a line is ASCII when no byte has its high bit, eight bytes at a time.
            guard let base = buffer.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            var start = 0
            while true {
                let end = memchr(base + start, 0x0A, buffer.count - start).map { UnsafeRawPointer($0) - raw } ?? buffer.count
                var high: UInt64 = 0
                var index = start
                while index + 8 <= end {
                    high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    index += 8
                }
                while index < end {
                    high |= UInt64(buffer[index])
                    index += 1
                }
                lines.append(start..<end)
                ascii.append(high & 0x8080_8080_8080_8080 == 0)
                if end == buffer.count { break }
                start = end + 1
            }
        }
        if bytes.isEmpty {
            lines = [0..<0]
            ascii = [true]
        }
        self.bytes = bytes
        self.lines = lines
        self.ascii = ascii
    }

    /// The whole of `text` as one line.
    init(whole text: String) {
        bytes = Array(text.utf8)
        lines = [0..<bytes.count]
        ascii = [bytes.allSatisfy { $0 < 0x80 }]
    }

    func isASCII(_ line: Int) -> Bool { ascii[line] }

    func string(_ line: Int) -> String { string(lines[line]) }

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    func bytesEqual(_ line: Int, _ other: LinedText, _ otherLine: Int) -> Bool {
        let mine = lines[line], theirs = other.lines[otherLine]
        return mine.count == theirs.count && bytesEqual(mine, other, theirs)
    }

    func bytesEqual(_ range: Range<Int>, _ other: LinedText, _ otherRange: Range<Int>) -> Bool {
        guard range.count == otherRange.count else { return false }
        if range.isEmpty { return true }
        return bytes.withUnsafeBufferPointer { mine in
            other.bytes.withUnsafeBufferPointer { theirs in
                memcmp(mine.baseAddress! + range.lowerBound, theirs.baseAddress! + otherRange.lowerBound, range.count) == 0
            }
        }
    }
}

/// Numbers lines so that equal lines (as Swift compares strings) get equal numbers. ASCII lines go through a hash of
/// their bytes; other lines through a `String` dictionary (canonical equivalence), unless their only non-ASCII
/// characters are the three whose canonical form is ASCII (KELVIN SIGN is `K`), which are folded and hashed as ASCII.
private struct LineInterner {
    /// The old text, the new text, folded copies of lines: where the bytes of each ASCII id are.
    private var sources: [[UInt8]]
    /// Open addressing: ASCII ids (0, 1, …), -1 for an empty slot.
    private var slots: [Int32]
    private let mask: Int
    /// Per ASCII id: its hash and where its bytes are.
    private var hashes: [UInt64] = []
    private var representatives: [(source: Int, range: Range<Int>)] = []
    /// Ids of lines that stay non-ASCII: -1, -2, …
    private var unicode: [String: Int32] = [:]

    init(old: LinedText, new: LinedText, capacity: Int) {
        sources = [old.bytes, new.bytes, []]
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The id of line `line` of the old (`side` 0) or new (1) text.
    mutating func id(_ text: LinedText, side: Int, _ line: Int) -> Int32 {
        let range = text.lines[line]
        if text.isASCII(line) { return asciiID(side, range) }
        let string = text.string(range)
        var folded: [UInt8] = []
        folded.reserveCapacity(range.count)
        for scalar in string.unicodeScalars {
            switch scalar.value {
            case 0..<0x80: folded.append(UInt8(scalar.value))
            case 0x212A: folded.append(UInt8(ascii: "K"))   // KELVIN SIGN
            case 0x037E: folded.append(UInt8(ascii: ";"))   // GREEK QUESTION MARK
            case 0x1FEF: folded.append(UInt8(ascii: "`"))   // GREEK VARIA
            default:
                if let id = unicode[string] { return id }
                let id = Int32(-1 - unicode.count)
                unicode[string] = id
                return id
            }
        }
        let start = sources[2].count
        sources[2] += folded
        return asciiID(2, start..<sources[2].count)
    }

    private mutating func asciiID(_ source: Int, _ range: Range<Int>) -> Int32 {
        let hash = sources[source].withUnsafeBufferPointer { ByteHash.hash(UnsafeBufferPointer(rebasing: $0[range])) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let id = Int(slots[slot])
            let representative = representatives[id]
            if hashes[id] == hash, equal(source, range, representative.source, representative.range) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        slots[slot] = id
        hashes.append(hash)
        representatives.append((source, range))
        return id
    }

    private func equal(_ a: Int, _ ra: Range<Int>, _ b: Int, _ rb: Range<Int>) -> Bool {
        guard ra.count == rb.count else { return false }
        if ra.isEmpty { return true }
        return sources[a].withUnsafeBufferPointer { x in
            sources[b].withUnsafeBufferPointer { y in memcmp(x.baseAddress! + ra.lowerBound, y.baseAddress! + rb.lowerBound, ra.count) == 0 }
        }
    }
}

/// Myers' shortest edit script ("An O(ND) Difference Algorithm and Its Variations", 1986) on interned symbols.
enum Myers {
    /// Above this many differences the middle is reported as wholly removed and re-added: the trace grows as D²,
    /// and a revision that rewrote thousands of lines reads no better with a minimal script (git bounds it similarly).
    static let maxDifferences = 1_000

    /// Which symbols of `a` are deleted and which of `b` inserted, in a shortest edit script from `a` to `b`.
    static func edits<Symbol: Equatable>(_ a: [Symbol], _ b: [Symbol]) -> (deleted: [Bool], inserted: [Bool]) {
        edits(count: a.count, b.count) { a[$0] == b[$1] }
    }

    /// `edits(_:_:)` for sequences of `n` and `m` symbols that `equal(x, y)` compares (`a[x]` with `b[y]`).
    static func edits(count n: Int, _ m: Int, equal: (Int, Int) -> Bool) -> (deleted: [Bool], inserted: [Bool]) {
        var deleted = [Bool](repeating: false, count: n), inserted = [Bool](repeating: false, count: m)
        // The common head and tail are never part of a shortest script worth showing.
        var head = 0
        while head < n, head < m, equal(head, head) { head += 1 }
        var tail = 0
        while tail < n - head, tail < m - head, equal(n - 1 - tail, m - 1 - tail) { tail += 1 }
        let n = n - head - tail, m = m - head - tail
        if n == 0 || m == 0 {
            for index in head..<(head + n) { deleted[index] = true }
            for index in head..<(head + m) { inserted[index] = true }
            return (deleted, inserted)
        }
        let maxD = min(n + m, maxDifferences)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        // Step d's frontier (reached after d - 1 differences, on diagonals -(d-1)...(d-1): all that backtracking from
        // step d reads) is at trace[starts[d]...]: one array for all steps, not one per step (a word diff runs this for
        // every paired line of every revision).
        var trace: [Int] = [], starts: [Int] = []
        var found = false
        search: for d in 0...maxD {
            starts.append(trace.count)
            if d > 0 { trace.append(contentsOf: v[(offset - d + 1)...(offset + d - 1)]) }
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, equal(head + x, head + y) { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n, y >= m { found = true; break search }
            }
        }
        guard found else {
            for index in head..<(head + n) { deleted[index] = true }
            for index in head..<(head + m) { inserted[index] = true }
            return (deleted, inserted)
        }
        // Backtrack through the saved frontiers (step d's is the frontier before step d).
        var x = n, y = m
        for d in stride(from: starts.count - 1, to: 0, by: -1) {
            let base = starts[d]
            func reached(_ k: Int) -> Int { trace[base + k + d - 1] }
            let k = x - y
            let down = k == -d || (k != d && reached(k - 1) < reached(k + 1))
            let previousK = down ? k + 1 : k - 1
            let previousX = reached(previousK), previousY = previousX - previousK
            while x > previousX, y > previousY { x -= 1; y -= 1 }
            if down { inserted[head + previousY] = true } else { deleted[head + previousX] = true }
            x = previousX
            y = previousY
        }
        return (deleted, inserted)
    }
}
