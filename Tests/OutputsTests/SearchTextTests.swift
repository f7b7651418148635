@testable import Outputs
import Testing

/// Normalisation and tokenisation shared by the index builder and (mirrored) by search.js.
@Suite struct SearchTextTests {
    @Test("folding removes case and diacritics and applies compatibility mappings", arguments: [
        ("Réseau", "reseau"),
        ("José Almeida", "jose almeida"),
        ("ＳＯＰ－ＣＳ－００１", "sop-cs-001"),   // full-width letters, hyphen and digits (NFKC)
        ("ﬁrst", "first"),                       // ligature
        ("Straße", "strasse"),
        ("ØRSTED Łódź", "orsted lodz"),
        ("ΟΔΟΣ", "οδοσ"),                         // final sigma folds like any sigma
        ("Ça coûte 2½ €", "ca coute 21⁄2 €"),
    ])
    func folding(input: String, folded: String) {
        #expect(SearchText.fold(input) == folded)
    }

    @Test("an id is one compound token with its parts")
    func compoundID() {
        let tokens = SearchText.tokens(inFolded: SearchText.fold("See SOP-CS-001."))
        #expect(tokens == [
            SearchText.Token(parts: ["see"], compound: nil),
            SearchText.Token(parts: ["sop", "cs", "001"], compound: "sop-cs-001"),
        ])
    }

    @Test("joiners join only between letters or digits; apostrophes inside a word are dropped")
    func joinersAndApostrophes() {
        #expect(SearchText.tokens(inFolded: "end. next") == [.init(parts: ["end"], compound: nil), .init(parts: ["next"], compound: nil)])
        #expect(SearchText.tokens(inFolded: "a--b") == [.init(parts: ["a"], compound: nil), .init(parts: ["b"], compound: nil)])
        #expect(SearchText.tokens(inFolded: "leaver's") == [.init(parts: ["leavers"], compound: nil)])
        #expect(SearchText.tokens(inFolded: "don’t") == [.init(parts: ["dont"], compound: nil)])
        #expect(SearchText.tokens(inFolded: "refunds@northwind.example")
                == [.init(parts: ["refunds", "northwind", "example"], compound: "refunds@northwind.example")])
    }

    @Test("terms drop stop words and single ASCII characters, stem plurals, and keep compounds")
    func terms() {
        #expect(SearchText.terms(in: "How to process a customer refund") == ["process", "customer", "refund"])
        #expect(SearchText.terms(in: "Hand over an on-call shift") == ["hand", "over", "call", "on-call", "shift"])
        #expect(SearchText.terms(in: "Step 1 of 9: refunds") == ["step", "refund"])
        #expect(SearchText.terms(in: "中 x") == ["中"])
    }

    @Test("plural stemming follows Lucene's minimal English stemmer", arguments: [
        ("refunds", "refund"), ("policies", "policy"), ("cases", "case"), ("accounts", "account"),
        ("access", "access"), ("status", "status"), ("goes", "goes"), ("keys", "key"), ("gas", "gas"), ("sop-cs", "sop-cs"),
    ])
    func stemming(word: String, stem: String) {
        #expect(SearchText.stem(word) == stem)
    }

    @Test("terms sort as JavaScript compares strings (UTF-16), not by Unicode scalar")
    func utf16Order() {
        // U+1F600 is the surrogate pair D83D DE00 in UTF-16, which sorts before U+FF5E; by scalar it sorts after.
        #expect(SearchText.utf16Less("😀", "～"))
        #expect(!SearchText.utf16Less("～", "😀"))
        #expect(SearchText.utf16Less("refund", "refunds"))
    }

    @Test("the byte comparison orders as UTF-16 does, on random strings across the planes")
    func utf16OrderOnBytes() {
        var random = Generator(state: 3)
        let alphabet: [Character] = ["a", "b", "é", "\u{D7FF}", "\u{E000}", "～", "\u{FFFD}", "😀", "𝔸", "\u{10FFFF}", "日"]
        for _ in 0..<5_000 {
            let a = String((0..<Int.random(in: 0...4, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            let b = String((0..<Int.random(in: 0...4, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
            #expect(SearchText.utf16Less(a, b) == SearchText.utf16LessByDefinition(a, b), "\(a.debugDescription) \(b.debugDescription)")
        }
    }

    @Test("the ASCII tokeniser gives exactly the tokens of the scalar one")
    func asciiTokensMatch() {
        var random = Generator(state: 7)
        let alphabet = Array("ab9Z -_./@'x,;:()#\t\n")
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...24, using: &random) { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)]) }
            let folded = SearchText.fold(text)
            #expect(SearchText.asciiTokens(inFolded: folded) == SearchText.scalarTokens(inFolded: folded), "\(text)")
        }
        #expect(SearchText.tokens(inFolded: "sop-cs-001 leaver's refunds@northwind.example")
                == SearchText.scalarTokens(inFolded: "sop-cs-001 leaver's refunds@northwind.example"))
    }

    /// A deterministic generator, so a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
    }
}

/// Terms of ASCII text are gathered in one pass over the bytes; they must be the terms the tokens give.
@Suite struct ASCIITermsTests {
    @Test("one-pass ASCII terms equal terms(of: tokens) on 5,000 random texts of words, joiners, apostrophes and stop words")
    func sameAsTokens() {
        let pieces = ["a", "the", "Refunds", "policies", "address", "status", "SOP", "-", "_", ".", "/", "@", "'", " ", "  ", "cs", "001",
                      "x", "queries", "e-mail", "it's", "ab", "\n", ",", "(", ")", String(repeating: "long", count: 12), "buses", "these"]
                     + SearchText.stopWords + ["thee", "whe", "an", "anx", "youre", "wher"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            let folded = SearchText.fold(text)
            #expect(SearchText.asciiTerms(inFolded: folded) == SearchText.terms(of: SearchText.asciiTokens(inFolded: folded)), "\(text)")
        }
    }
}

@Suite struct TermBytesTests {
    @Test("forEachTerm gives the terms of the text's tokens, in order, for ASCII and other text, any case and length")
    func sameAsTerms() {
        let pieces = ["Refunds", "policies", "the", "status", "SOP-CS-001", "e-mail", "it's", " ", "\n", "réseaux", "Straße", "日本", "x", "queries",
                      "buses", "caddies", "ROSES", "a", "ab", "goes", "access", "ﬁle", "ＳＯＰ", ".", "/", "@", "THE", "Policies", "'", "--",
                      String(repeating: "Ab", count: 20), String(repeating: "x", count: 41), String(repeating: "yZ", count: 33), "\0", "\t"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...20, using: &generator)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            var met: [String] = []
            SearchText.forEachTerm(in: text) { met.append(String(decoding: $0, as: UTF8.self)) }
            // The reference: folded, cut into tokens (the ASCII tokeniser is tested against the scalar one), then terms.
            #expect(met == SearchText.terms(of: SearchText.tokens(inFolded: SearchText.fold(text))), "\(text)")
            #expect(met == SearchText.terms(in: text), "\(text)")
        }
    }
}

@Suite struct ASCIICheckTests {
    @Test("isASCII, eight bytes at a time, agrees with a byte-by-byte check at every length and position")
    func agrees() {
        for length in 0..<40 {
            for position in -1..<length {
                let bytes = (0..<length).map { $0 == position ? UInt8(0x80 + $0) : UInt8(0x20 + $0) }
                #expect(bytes.withUnsafeBufferPointer(SearchText.isASCII) == bytes.allSatisfy { $0 < 0x80 }, "\(length) \(position)")
            }
        }
        #expect(SearchText.isASCII("SOP-CS-001 refunds") && !SearchText.isASCII("Straße") && SearchText.isASCII(""))
    }
}

@Suite struct StopWordBytesTests {
    @Test("a word's bytes are a stop word exactly when the stop-word list holds it")
    func sameAsList() {
        for word in SearchText.stopWords + ["thee", "whe", "anx", "youre", "wher", "a", "", "z", "THE", "withx", "abcdef", "a\0", "an\0", "\0"] {
            #expect(SearchText.isStopWord(Array(word.utf8)) == SearchText.stopWords.contains(word), "\(word)")
        }
        // Every word of up to three letters, and every stop word with one letter changed: no false match in the table.
        let letters = Array("abcdefghijklmnopqrstuvwxyz0".utf8)
        var words: [[UInt8]] = letters.map { [$0] }
        words += letters.flatMap { a in letters.map { [a, $0] } }
        words += letters.flatMap { a in letters.flatMap { b in letters.map { [a, b, $0] } } }
        for stop in SearchText.stopWords.map({ Array($0.utf8) }) {
            for index in stop.indices { for letter in letters { var changed = stop; changed[index] = letter; words.append(changed) } }
        }
        let list = Set(SearchText.stopWords.map { Array($0.utf8) })
        let wrong = words.filter { SearchText.isStopWord($0) != list.contains($0) }
        #expect(wrong.isEmpty, "\(wrong.prefix(5).map { String(decoding: $0, as: UTF8.self) })")
    }
}
