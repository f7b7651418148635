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
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
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
    /// The stop words' bytes by length, so a word is compared with the few of its length and no string is made.
    private static let stopWordsByLength: [[[UInt8]]] = (0...longestStopWord).map { length in
        stopWords.map { Array($0.utf8) }.filter { $0.count == length }
    }

    /// `stopWordSet.contains` for a word's bytes.
    static func isStopWord(_ word: [UInt8]) -> Bool {
        word.count < stopWordsByLength.count && stopWordsByLength[word.count].contains { $0 == word }
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
        folded.utf8.allSatisfy { $0 < 0x80 } ? asciiTokens(inFolded: folded) : scalarTokens(inFolded: folded)
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
        return folded.utf8.allSatisfy { $0 < 0x80 } ? asciiTerms(inFolded: folded) : terms(of: scalarTokens(inFolded: folded))
    }

    /// `terms(of: asciiTokens(inFolded:))` in one pass over the bytes, without tokens: each word's term as the word
    /// ends, each compound as its token ends (the same terms in the same order; tested). Building tokens of strings was
    /// most of indexing an SOP.
    static func asciiTerms(inFolded folded: String) -> [String] {
        var terms: [String] = []
        forEachASCIITerm(inFolded: folded) { terms.append(String(decoding: $0, as: UTF8.self)) }
        return terms
    }

    /// `terms(in:)` without a string for each occurrence: each term's UTF-8 bytes, in the same order, to `body` (the
    /// bytes are valid only during the call).
    static func forEachTerm(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let folded = fold(text)
        guard folded.utf8.allSatisfy({ $0 < 0x80 }) else {
            for var term in terms(of: scalarTokens(inFolded: folded)) { term.withUTF8(body) }
            return
        }
        forEachASCIITerm(inFolded: folded, body)
    }

    /// The terms of folded ASCII text as bytes, in order: each word's (stemmed) as the word ends, each compound as its
    /// token ends.
    private static func forEachASCIITerm(inFolded folded: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var parts = 0
        var stemmed: [UInt8] = []
        scanASCII(folded, word: { word in
            // isIndexable: at most `longestWord` letters, not one ASCII letter, not a stop word.
            if word.count > 1, word.count <= longestWord, word.count > longestStopWord || !isStopWord(word) {
                asciiStem(word, into: &stemmed)
                stemmed.withUnsafeBufferPointer(body)
            }
            parts += 1
        }, tokenEnd: { compound in
            if parts > 1, compound.count <= longestCompound { compound.withUnsafeBufferPointer(body) }
            parts = 0
        })
    }

    /// `stem` of a word's bytes, into `out` (the one implementation of the rules; a word that is not all ASCII
    /// letters is copied unchanged).
    static func asciiStem(_ letters: [UInt8], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: letters)
        let count = letters.count
        guard count >= 4, letters[count - 1] == UInt8(ascii: "s"),
              letters.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return }
        switch letters[count - 2] {
        case UInt8(ascii: "u"), UInt8(ascii: "s"):
            return
        case UInt8(ascii: "e"):
            let third = letters[count - 3]
            if third == UInt8(ascii: "i"), letters[count - 4] != UInt8(ascii: "a"), letters[count - 4] != UInt8(ascii: "e") {
                out[count - 3] = UInt8(ascii: "y")
                out.removeLast(2)
                return
            }
            if third == UInt8(ascii: "i") || third == UInt8(ascii: "a") || third == UInt8(ascii: "o") || third == UInt8(ascii: "e") { return }
            out.removeLast()
        default:
            out.removeLast()
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
