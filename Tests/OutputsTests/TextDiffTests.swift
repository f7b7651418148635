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
