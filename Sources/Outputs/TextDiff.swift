/// A line diff of two texts, with word-level changes inside lines that were edited: for showing what a revision
/// changed. Myers' O(ND) algorithm (as `git diff` uses by default) over interned lines, after the common head and
/// tail are set aside, so the usual revision (a few lines edited in a long file) costs little more than one pass.
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
                result.append(.removed(String(line), words: partner.map { Self.words(line, against: $0) } ?? [Word(text: String(line), isChanged: true)]))
            }
            for (index, line) in addedRun.enumerated() {
                let partner = index < removedRun.count ? removedRun[index] : nil
                result.append(.added(String(line), words: partner.map { Self.words(line, against: $0) } ?? [Word(text: String(line), isChanged: true)]))
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

    /// The words of `line`, marked where they are not in `other`.
    static func words(_ line: Substring, against other: Substring) -> [Word] {
        let mine = tokens(line), theirs = tokens(other)
        // Tokens are short and each is compared a few times: directly, not interned.
        let edits = Myers.edits(theirs, mine)
        var result: [Word] = []
        var run = Substring(), runChanged = false
        for (index, token) in mine.enumerated() {
            let isChanged = edits.inserted[index]
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

/// Myers' shortest edit script ("An O(ND) Difference Algorithm and Its Variations", 1986) on interned symbols.
enum Myers {
    /// Above this many differences the middle is reported as wholly removed and re-added: the trace grows as D²,
    /// and a revision that rewrote thousands of lines reads no better with a minimal script (git bounds it similarly).
    static let maxDifferences = 1_000

    /// Which symbols of `a` are deleted and which of `b` inserted, in a shortest edit script from `a` to `b`.
    static func edits<Symbol: Equatable>(_ a: [Symbol], _ b: [Symbol]) -> (deleted: [Bool], inserted: [Bool]) {
        var deleted = [Bool](repeating: false, count: a.count), inserted = [Bool](repeating: false, count: b.count)
        // The common head and tail are never part of a shortest script worth showing.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let n = a.count - head - tail, m = b.count - head - tail
        if n == 0 || m == 0 {
            for index in head..<(head + n) { deleted[index] = true }
            for index in head..<(head + m) { inserted[index] = true }
            return (deleted, inserted)
        }
        let maxD = min(n + m, maxDifferences)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        // trace[d] holds the frontier reached after d - 1 differences, on diagonals -(d-1)...(d-1): all that
        // backtracking from step d reads.
        var trace: [[Int]] = []
        var found = false
        search: for d in 0...maxD {
            trace.append(d == 0 ? [] : Array(v[(offset - d + 1)...(offset + d - 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[head + x] == b[head + y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n, y >= m { found = true; break search }
            }
        }
        guard found else {
            for index in head..<(head + n) { deleted[index] = true }
            for index in head..<(head + m) { inserted[index] = true }
            return (deleted, inserted)
        }
        // Backtrack through the saved frontiers (trace[d] is the frontier before step d).
        var x = n, y = m
        for d in stride(from: trace.count - 1, to: 0, by: -1) {
            let frontier = trace[d]
            func reached(_ k: Int) -> Int { frontier[k + d - 1] }
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
