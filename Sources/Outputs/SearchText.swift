import Foundation

/// The search index's one definition of a term: how text is normalised and cut into words. `theme/assets/search.js`
/// applies the same rules to what a reader types (`fold` and `terms` there mirror these line by line), so a change
/// here is a change of the index format: bump `SearchIndex.formatVersion` and change both.
enum SearchText {
    /// Folds text for matching: Unicode compatibility decomposition (NFKD, so `ﬁ` is `fi` and full-width `ＳＯＰ` is
    /// `sop`), lowercase, nonspacing marks removed (`réseau` is `reseau`, `José` is `jose`), and the letters that do not
    /// decompose mapped by hand (`ß` → `ss`, `ø` → `o`, final `ς` → `σ`, …). Locale-independent.
    static func fold(_ text: String) -> String {
        // ASCII (most SOP text) has no decompositions or marks: lowercasing is the whole fold, and Foundation's
        // normalisation was a fifth of a build.
        var text = text
        if let folded = text.withUTF8({ bytes in
            isASCII(bytes) ? String(unsafeUninitializedCapacity: bytes.count) { out in
                for index in bytes.indices { out[index] = bytes[index] &- 0x41 < 26 ? bytes[index] | 0x20 : bytes[index] }
                return bytes.count
            } : nil
        }) {
            return folded
        }
        var out = String.UnicodeScalarView()
        let lowered = text.decomposedStringWithCompatibilityMapping.lowercased().decomposedStringWithCompatibilityMapping
        for scalar in lowered.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if let replacement = letterFolds[scalar] {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Letters that lowercase and NFKD leave alone but a reader types differently (the same table is in search.js).
    static let letterFolds: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ς": "σ",
    ]

    /// Very common English words that say nothing about which SOP is meant; they are not indexed, and the client
    /// ignores them in a query of several words. Written into the manifest so the client uses the same list.
    static let stopWords: [String] = [
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "if", "in", "into", "is", "it", "its",
        "of", "on", "or", "so", "than", "that", "the", "then", "there", "these", "this", "to", "was", "we", "what",
        "when", "where", "which", "who", "will", "with", "you", "your",
    ]
    private static let stopWordSet = Set(stopWords)
    private static let longestStopWord = stopWords.map(\.utf8.count).max() ?? 0
    /// The stop words' bytes packed into integers (none is longer than seven bytes), so a word is one integer compared
    /// with a few dozen and no string is made.
    private static let packedStopWords: [UInt64] = {
        precondition(longestStopWord < 8, "a stop word of eight bytes or more does not pack")
        return stopWords.map { packed($0.utf8) }
    }()

    /// The packed stop words in a table of 128 slots, each at `slot(of:)` (a multiplier under which no two collide,
    /// found once, deterministically): a word is one multiply and one compare, where scanning the list was a tenth
    /// of indexing an SOP. An empty slot holds 0, which no packed word is (the count is in the top byte).
    private static let stopWordTable: (multiplier: UInt64, slots: [UInt64]) = {
        var multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        while true {
            var slots = [UInt64](repeating: 0, count: 128)
            var collided = false
            for key in packedStopWords {
                let slot = Int(truncatingIfNeeded: (key &* multiplier) >> 57)
                if slots[slot] != 0 { collided = true; break }
                slots[slot] = key
            }
            if !collided { return (multiplier, slots) }
            multiplier = multiplier &* 6364136223846793005 &+ 1442695040888963407
        }
    }()

    /// Up to seven bytes in one integer, the first in the low byte, and their count in the top byte.
    private static func packed(_ bytes: some Collection<UInt8>) -> UInt64 {
        var value = UInt64(bytes.count) << 56
        for (offset, byte) in bytes.prefix(7).enumerated() { value |= UInt64(byte) << (8 * UInt64(offset)) }
        return value
    }

    /// `stopWordSet.contains` for a word's bytes.
    static func isStopWord(_ word: [UInt8]) -> Bool {
        word.withUnsafeBufferPointer { isStopWord($0.baseAddress, count: $0.count) }
    }

    /// `stopWordSet.contains` for the `count` bytes at `word`.
    static func isStopWord(_ word: UnsafePointer<UInt8>?, count: Int) -> Bool {
        guard count > 0, count <= longestStopWord, let word else { return false }
        let key = packed(UnsafeBufferPointer(start: word, count: count))
        let table = stopWordTable
        return table.slots[Int(truncatingIfNeeded: (key &* table.multiplier) >> 57)] == key
    }

    /// Whether every byte is ASCII, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// Whether `text` is all ASCII.
    static func isASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isASCII($0) }
    }

    /// Longest single word indexed, in characters; longer runs are hashes and tokens, not words.
    static let longestWord = 40
    /// Longest compound indexed (`sop-cs-001`, `refunds@northwind.example`), in characters.
    static let longestCompound = 64

    /// One word or compound found in text, folded: the parts, and the compound when parts were joined.
    struct Token: Equatable {
        /// Runs of letters and digits (`sop`, `cs`, `001`).
        var parts: [String]
        /// The parts with the characters that joined them (`sop-cs-001`); nil for a single part.
        var compound: String?
    }

    /// Characters that join two words into a compound when they stand between letters or digits:
    /// `SOP-CS-001`, `refund_approved`, `northwind.example`, `it-access/grant`, `refunds@northwind`.
    private static let joiners: Set<Unicode.Scalar> = ["-", "_", ".", "/", "@"]
    /// Apostrophes inside a word are dropped (`leaver's` is `leavers`, `don't` is `dont`).
    private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{02BC}"]

    /// Letters, digits and spacing marks: what words are made of, in any script.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .spacingMark, .enclosingMark, .nonspacingMark:
            return true
        default:
            return false
        }
    }

    /// Cuts already folded text into tokens, in reading order.
    static func tokens(inFolded folded: String) -> [Token] {
        isASCII(folded) ? asciiTokens(inFolded: folded) : scalarTokens(inFolded: folded)
    }

    /// `tokens(inFolded:)` for ASCII text, on bytes (the same rules; a test compares the two): most SOP text is
    /// ASCII, and building words scalar by scalar was a tenth of a build.
    static func asciiTokens(inFolded folded: String) -> [Token] {
        var tokens: [Token] = []
        var parts: [String] = []
        scanASCII(folded, word: { parts.append(String(decoding: $0, as: UTF8.self)) }, tokenEnd: { compound in
            if !parts.isEmpty { tokens.append(Token(parts: parts, compound: parts.count > 1 ? String(decoding: compound, as: UTF8.self) : nil)) }
            parts = []
        })
        return tokens
    }

    /// The token rules on ASCII bytes: `word` receives each word as it ends, `tokenEnd` each token's compound (its
    /// words with the joiners between them, apostrophes left out) as the token ends, also for tokens of one word or none.
    private static func scanASCII(_ folded: String, word onWord: ([UInt8]) -> Void, tokenEnd: ([UInt8]) -> Void) {
        func isWord(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }
        func isJoiner(_ byte: UInt8) -> Bool { byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x2F || byte == 0x40 }
        let apostrophe: UInt8 = 0x27
        var word: [UInt8] = [], compound: [UInt8] = []
        var pending: UInt8?
        func endWord() {
            guard !word.isEmpty else { return }
            onWord(word)
            compound += word
            word.removeAll(keepingCapacity: true)
        }
        func endToken() {
            endWord()
            tokenEnd(compound)
            compound.removeAll(keepingCapacity: true)
            pending = nil
        }
        for byte in folded.utf8 {
            if isWord(byte) {
                if let joiner = pending {
                    if joiner != apostrophe {
                        endWord()
                        compound.append(joiner)
                    }
                    pending = nil
                }
                word.append(byte)
            } else if pending == nil, !word.isEmpty, isJoiner(byte) || byte == apostrophe {
                pending = byte
            } else {
                endToken()
            }
        }
        endToken()
    }

    static func scalarTokens(inFolded folded: String) -> [Token] {
        var tokens: [Token] = []
        var word = String.UnicodeScalarView()
        var parts: [String] = []
        var compound = String.UnicodeScalarView()
        var pending: Unicode.Scalar?   // a joiner or apostrophe after a word, waiting for the next letter

        func endWord() {
            guard !word.isEmpty else { return }
            parts.append(String(word))
            compound.append(contentsOf: word)
            word = String.UnicodeScalarView()
        }
        func endToken() {
            endWord()
            if !parts.isEmpty {
                tokens.append(Token(parts: parts, compound: parts.count > 1 ? String(compound) : nil))
            }
            parts = []
            compound = String.UnicodeScalarView()
            pending = nil
        }

        for scalar in folded.unicodeScalars {
            if isWordScalar(scalar) {
                if let joiner = pending {
                    if apostrophes.contains(joiner) {
                        pending = nil
                    } else {
                        endWord()
                        compound.append(joiner)
                        pending = nil
                    }
                }
                word.append(scalar)
            } else if pending == nil, !word.isEmpty, joiners.contains(scalar) || apostrophes.contains(scalar) {
                pending = scalar
            } else {
                endToken()
            }
        }
        endToken()
        return tokens
    }

    /// Whether a single word is worth indexing: not a stop word, not one ASCII letter or digit, not absurdly long.
    static func isIndexable(word: String) -> Bool {
        let count = word.unicodeScalars.count
        if count > longestWord || stopWordSet.contains(word) { return false }
        if count == 1, let first = word.unicodeScalars.first, first.isASCII { return false }
        return count > 0
    }

    /// The index terms of `text`, in reading order with repeats: each indexable word (stemmed), then each compound (a
    /// compound is kept even when its parts are stop words: `on-call`).
    static func terms(in text: String) -> [String] {
        let folded = fold(text)
        return isASCII(folded) ? asciiTerms(inFolded: folded) : terms(of: scalarTokens(inFolded: folded))
    }

    /// `terms(of: asciiTokens(inFolded:))` in one pass over the bytes, without tokens: each word's term as the word
    /// ends, each compound as its token ends (the same terms in the same order; tested). Building tokens of strings was
    /// most of indexing an SOP.
    static func asciiTerms(inFolded folded: String) -> [String] {
        var terms: [String] = []
        var folded = folded
        var sink = ClosureSink { terms.append(String(decoding: $0, as: UTF8.self)) }
        folded.withUTF8 { forEachASCIITerm(in: $0, into: &sink) }
        return terms
    }

    /// `terms(in:)` without a string for each occurrence: each term's UTF-8 bytes, in the same order, to `body` (the
    /// bytes are valid only during the call).
    static func forEachTerm(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withoutActuallyEscaping(body) { body in
            var sink = ClosureSink(body: body)
            forEachTerm(in: text, into: &sink)
        }
    }

    /// `forEachTerm` into a sink: its state is checked for exclusive access when compiled, where a closure's captured
    /// variables were checked at run time on every term.
    static func forEachTerm(in text: String, into sink: inout some TermSink) {
        var text = text
        // ASCII text is folded as it is read (folding ASCII is lowercasing); any other is folded first.
        let done = text.withUTF8 { bytes in
            guard isASCII(bytes) else { return false }
            forEachASCIITerm(in: bytes, into: &sink)
            return true
        }
        if !done {
            for var term in terms(of: scalarTokens(inFolded: fold(text))) { term.withUTF8 { sink.take($0) } }
        }
    }

    /// What receives terms' bytes.
    protocol TermSink {
        mutating func take(_ term: UnsafeBufferPointer<UInt8>)
    }

    private struct ClosureSink: TermSink {
        let body: (UnsafeBufferPointer<UInt8>) -> Void
        func take(_ term: UnsafeBufferPointer<UInt8>) { body(term) }
    }

    /// The terms of ASCII text as bytes, in order: each word's (stemmed) as the word ends, each compound as its token
    /// ends. `scanASCII`'s token rules and `isIndexable`'s, in one loop over the bytes with the word and compound in
    /// fixed buffers: no indexed word or compound is longer than `longestCompound` bytes, so longer ones are counted,
    /// not kept. Letters are lowercased as read, so `text` need not be folded.
    static func forEachASCIITerm(in text: UnsafeBufferPointer<UInt8>, into sink: inout some TermSink) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 * TermScanner.capacity) { scratch in
            // A struct, not captured locals: a local function over captured variables had its every access checked
            // for exclusivity at run time.
            var scanner = TermScanner(scratch.baseAddress!)
            for index in 0...text.count {
                var byte = index < text.count ? text[index] : 0
                if byte &- 0x41 < 26 { byte |= 0x20 }
                if byte &- 0x30 < 10 || byte &- 0x61 < 26 {
                    scanner.letter(byte, &sink)
                } else if scanner.pending == 0, scanner.wordCount > 0,
                          byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x2F || byte == 0x40 || byte == 0x27 {
                    scanner.pending = byte
                } else {
                    scanner.endToken(&sink)
                }
            }
        }
    }

    /// `forEachASCIITerm`'s state: the word and the compound being read, in fixed buffers.
    private struct TermScanner {
        /// No indexed word (`longestWord`) or compound (`longestCompound`) is longer.
        static let capacity = longestCompound
        let word: UnsafeMutablePointer<UInt8>, compound: UnsafeMutablePointer<UInt8>, stemmed: UnsafeMutablePointer<UInt8>
        /// Lengths read, which may pass the capacity (such words and compounds are counted, not kept or indexed).
        var wordCount = 0, compoundCount = 0, parts = 0
        /// A joiner or apostrophe after a word, waiting for the next letter; 0 for none.
        var pending: UInt8 = 0

        init(_ scratch: UnsafeMutablePointer<UInt8>) {
            (word, compound, stemmed) = (scratch, scratch + Self.capacity, scratch + 2 * Self.capacity)
        }

        mutating func letter(_ byte: UInt8, _ sink: inout some TermSink) {
            if pending != 0 {
                // An apostrophe joins the word's two halves; a joiner ends the word and goes into the compound.
                if pending != 0x27 {
                    endWord(&sink)
                    if compoundCount < Self.capacity { compound[compoundCount] = pending }
                    compoundCount += 1
                }
                pending = 0
            }
            if wordCount < Self.capacity { word[wordCount] = byte }
            wordCount += 1
        }

        mutating func endWord(_ sink: inout some TermSink) {
            guard wordCount > 0 else { return }
            // isIndexable: more than one ASCII letter, at most `longestWord`, not a stop word.
            if wordCount > 1, wordCount <= longestWord, wordCount > longestStopWord || !isStopWord(word, count: wordCount) {
                sink.take(UnsafeBufferPointer(start: stemmed, count: asciiStem(word, count: wordCount, into: stemmed)))
            }
            parts += 1
            if compoundCount < Self.capacity {
                (compound + compoundCount).update(from: word, count: min(wordCount, Self.capacity - compoundCount))
            }
            compoundCount += wordCount
            wordCount = 0
        }

        mutating func endToken(_ sink: inout some TermSink) {
            endWord(&sink)
            if parts > 1, compoundCount <= Self.capacity { sink.take(UnsafeBufferPointer(start: compound, count: compoundCount)) }
            parts = 0
            compoundCount = 0
            pending = 0
        }
    }

    /// `stem` of a word's bytes, into `out` (a word that is not all ASCII letters is copied unchanged).
    static func asciiStem(_ letters: [UInt8], into out: inout [UInt8]) {
        out = [UInt8](repeating: 0, count: letters.count)
        let count = letters.withUnsafeBufferPointer { letters in
            out.withUnsafeMutableBufferPointer { asciiStem(letters.baseAddress, count: letters.count, into: $0.baseAddress) }
        }
        out.removeLast(letters.count - count)
    }

    /// The one implementation of the plural rules (`stem`): the `count` bytes at `letters` stemmed into `out` (room for
    /// `count` bytes); returns the stem's length.
    static func asciiStem(_ letters: UnsafePointer<UInt8>?, count: Int, into out: UnsafeMutablePointer<UInt8>?) -> Int {
        guard let letters, let out else { return 0 }
        out.update(from: letters, count: count)
        guard count >= 4, letters[count - 1] == UInt8(ascii: "s") else { return count }
        for index in 0..<count where letters[index] &- UInt8(ascii: "a") >= 26 { return count }
        switch letters[count - 2] {
        case UInt8(ascii: "u"), UInt8(ascii: "s"):
            return count
        case UInt8(ascii: "e"):
            let third = letters[count - 3]
            if third == UInt8(ascii: "i"), letters[count - 4] != UInt8(ascii: "a"), letters[count - 4] != UInt8(ascii: "e") {
                out[count - 3] = UInt8(ascii: "y")
                return count - 2
            }
            if third == UInt8(ascii: "i") || third == UInt8(ascii: "a") || third == UInt8(ascii: "o") || third == UInt8(ascii: "e") { return count }
            return count - 1
        default:
            return count - 1
        }
    }

    static func terms(of tokens: [Token]) -> [String] {
        var terms: [String] = []
        for token in tokens {
            for part in token.parts where isIndexable(word: part) { terms.append(stem(part)) }
            if let compound = token.compound, compound.unicodeScalars.count <= longestCompound { terms.append(compound) }
        }
        return terms
    }

    /// English plurals to their singular, so `refunds` finds `refund` (Lucene's EnglishMinimalStemmer, for words of
    /// four or more ASCII letters): `policies` → `policy`, `cases` → `case`, `refunds` → `refund`; `access`, `status`,
    /// `goes` and `does` are left alone. Compounds are not stemmed (`sop-cs-001`).
    static func stem(_ word: String) -> String {
        var stemmed: [UInt8] = []
        asciiStem(Array(word.utf8), into: &stemmed)
        // Every rule shortens the word: the same length is the word unchanged.
        return stemmed.count == word.utf8.count ? word : String(decoding: stemmed, as: UTF8.self)
    }

    /// Orders terms as JavaScript compares strings (UTF-16 code units), so the client's binary search over the term
    /// list agrees with the builder's sort (Swift's `<` on `String` orders by Unicode scalars, which differs above U+FFFF).
    ///
    /// Compares UTF-8 bytes (walking the UTF-16 view of native strings transcodes every character, and the index build
    /// sorts a million terms): UTF-8 byte order is scalar order, which is UTF-16 order except that scalars above
    /// U+FFFF (lead bytes F0–F4, surrogate pairs in UTF-16) sort before U+E000–U+FFFF (lead bytes EE, EF). At the first
    /// differing byte both strings are at the same place in the same scalar structure, so only that case is turned.
    static func utf16Less(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in utf16Less(x, y) } }
    }

    /// `utf16Less` of two texts' UTF-8 bytes.
    static func utf16Less(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(x.count, y.count)
        var index = 0
        while index < common, x[index] == y[index] { index += 1 }
        guard index < common else { return x.count < y.count }
        let p = x[index], q = y[index]
        if p >= 0xF0, q == 0xEE || q == 0xEF { return true }
        if q >= 0xF0, p == 0xEE || p == 0xEF { return false }
        return p < q
    }

    /// `utf16Less` by its definition, for tests.
    static func utf16LessByDefinition(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }
}
