import Foundation
@testable import Outputs
import Testing

/// The review calendars' TEXT escaping and line folding (RFC 5545) work on bytes; they must give what the earlier
/// Foundation-based code gave (the references below), for every kind of character.
@Suite struct CalendarTextTests {
    static func referenceText(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func referenceFold(_ line: String) -> String {
        var out = ""
        var count = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.unicodeScalars.append(scalar)
            count += size
        }
        return out
    }

    @Test("escaping and folding on bytes equal the references on 3,000 random lines")
    func sameAsReference() {
        // No combining marks here: the reference went by characters and so left a comma or a line break that a
        // combining mark follows unescaped, which breaks the calendar (checked below).
        let pieces = ["a", "Refund", ",", ";", "\\", "\r", "\n", "\r\n", " ", "é", "☕", "😀", "€", "—", String(repeating: "x", count: 30)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &generator)] }.joined()
            #expect(ReviewOutputs.text(text) == Self.referenceText(text), "\(Array(text.unicodeScalars))")
            #expect(ReviewOutputs.fold(text) == Self.referenceFold(text), "\(Array(text.unicodeScalars))")
        }
        #expect(ReviewOutputs.fold("e\u{301}" + String(repeating: "x", count: 80)) == Self.referenceFold("e\u{301}" + String(repeating: "x", count: 80)))
    }

    @Test("a comma, semicolon or line break followed by a combining mark is escaped all the same (RFC 5545 §3.3.11)")
    func combiningMarks() {
        #expect(ReviewOutputs.text("a,\u{301}b;\u{301}\n\u{301}\r\n\u{301}") == "a\\,\u{301}b\\;\u{301}\\n\u{301}\\n\u{301}")
    }
}
