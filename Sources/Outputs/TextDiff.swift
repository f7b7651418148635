/// A line diff of two texts, with word-level changes inside lines that were edited: for showing what a revision
/// changed. Uses the standard library's `difference(from:)` (Myers' algorithm).
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
        let before = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let after = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let difference = after.difference(from: before)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // Walk both sides in order: removals of the old text come before the insertions that replace them.
        var result: [Line] = []
        var i = 0, j = 0
        while i < before.count || j < after.count {
            var removedRun: [String] = [], addedRun: [String] = []
            while i < before.count, removed.contains(i) { removedRun.append(before[i]); i += 1 }
            while j < after.count, inserted.contains(j) { addedRun.append(after[j]); j += 1 }
            // Pair edited lines for word-level marks.
            for (index, line) in removedRun.enumerated() {
                let partner = index < addedRun.count ? addedRun[index] : nil
                result.append(.removed(line, words: partner.map { Self.words(line, against: $0) } ?? [Word(text: line, isChanged: true)]))
            }
            for (index, line) in addedRun.enumerated() {
                let partner = index < removedRun.count ? removedRun[index] : nil
                result.append(.added(line, words: partner.map { Self.words(line, against: $0) } ?? [Word(text: line, isChanged: true)]))
            }
            if removedRun.isEmpty, addedRun.isEmpty {
                if i < before.count, j < after.count {
                    result.append(.same(after[j]))
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

    /// The words of `line`, marked where they are not in `other`.
    static func words(_ line: String, against other: String) -> [Word] {
        let mine = tokens(line), theirs = tokens(other)
        var changed = Set<Int>()
        for change in mine.difference(from: theirs) {
            if case .insert(let offset, _, _) = change { changed.insert(offset) }
        }
        var result: [Word] = []
        for (index, token) in mine.enumerated() {
            let isChanged = changed.contains(index)
            if let last = result.last, last.isChanged == isChanged {
                result[result.count - 1] = Word(text: last.text + token, isChanged: isChanged)
            } else {
                result.append(Word(text: token, isChanged: isChanged))
            }
        }
        return result
    }

    /// Runs of letters and digits, runs of spaces, and single other characters, so that "order." and "order number."
    /// differ by " number" only; joining the tokens gives the line back.
    static func tokens(_ line: String) -> [String] {
        enum Kind { case word, space, other }
        func kind(_ character: Character) -> Kind {
            if character == " " || character == "\t" { return .space }
            return character.isLetter || character.isNumber ? .word : .other
        }
        var tokens: [String] = []
        var current = ""
        var currentKind = Kind.other
        for character in line {
            let next = kind(character)
            if !current.isEmpty, next != currentKind || next == .other {
                tokens.append(current)
                current = ""
            }
            current.append(character)
            currentKind = next
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
