/// Decides what a change did to a Markdown document: body, front matter, whitespace or nothing.
///
/// Works on bytes: it runs for every (commit, document) change of the history pass, and Swift's grapheme-aware string
/// splitting cost half of a 10,000-commit build. UTF-8 never uses the bytes of `\n`, `\r`, space, tab or `-` inside a
/// multi-byte character, so line and whitespace rules are exact on bytes.
enum ContentClassifier {
    /// Compares two versions of a file (raw bytes). Line endings are normalised first (a CRLF conversion is
    /// whitespace); a body that differs only in blank lines, trailing spaces or indentation is whitespace.
    static func classify(old: [UInt8], new: [UInt8]) -> ChangeKind {
        if old == new { return .unchanged }
        let before = Parts(normalised(old))
        let after = Parts(normalised(new))
        let sameFrontMatter = significantLines(before.frontMatter, trimLeading: false) == significantLines(after.frontMatter, trimLeading: false)
        if before.body.elementsEqual(after.body) || significantLines(before.body, trimLeading: true) == significantLines(after.body, trimLeading: true) {
            // A front-matter edit alongside a reformat is still a metadata change, not a revision.
            return sameFrontMatter ? .whitespace : .metadata
        }
        return .content
    }

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// CRLF and lone CR become LF; a leading byte-order mark is dropped.
    static func normalised(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard bytes.contains(carriageReturn) else { return start == 0 ? bytes : Array(bytes[start...]) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = start
        while index < bytes.count {
            if bytes[index] == carriageReturn {
                out.append(newline)
                if index + 1 < bytes.count, bytes[index + 1] == newline { index += 1 }
            } else {
                out.append(bytes[index])
            }
            index += 1
        }
        return out
    }

    /// The front matter (between `---` fences on their own lines) and the body, as `FrontMatterSplit` splits text.
    struct Parts {
        let frontMatter: ArraySlice<UInt8>
        let body: ArraySlice<UInt8>

        init(_ bytes: [UInt8]) {
            var lines = LineIterator(bytes[...])
            guard let first = lines.next(), Self.isFence(first, closing: false) else {
                frontMatter = []
                body = bytes[...]
                return
            }
            let yamlStart = lines.position
            while true {
                let lineStart = lines.position
                guard let line = lines.next() else { break }
                if Self.isFence(line, closing: true) {
                    frontMatter = bytes[yamlStart..<lineStart]
                    body = bytes[lines.position...]
                    return
                }
            }
            // Unclosed: all body here (the Documents stage reports it to the writer).
            frontMatter = []
            body = bytes[...]
        }

        private static func isFence(_ line: ArraySlice<UInt8>, closing: Bool) -> Bool {
            let trimmed = ContentClassifier.trim(line, leading: false)
            return trimmed.elementsEqual("---".utf8) || (closing && trimmed.elementsEqual("...".utf8))
        }
    }

    /// Lines without trailing (and, for bodies, leading) spaces and tabs, blank lines dropped.
    static func significantLines(_ text: ArraySlice<UInt8>, trimLeading: Bool) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var lines = LineIterator(text)
        while let line = lines.next() {
            let trimmed = trim(line, leading: trimLeading)
            if !trimmed.isEmpty { result.append(trimmed) }
        }
        return result
    }

    static func trim(_ line: ArraySlice<UInt8>, leading: Bool) -> ArraySlice<UInt8> {
        var slice = line
        while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
        if leading { while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() } }
        return slice
    }

    /// Lines of a byte slice, without their `\n`.
    struct LineIterator: IteratorProtocol {
        let text: ArraySlice<UInt8>
        private(set) var position: Int

        init(_ text: ArraySlice<UInt8>) {
            self.text = text
            position = text.startIndex
        }

        mutating func next() -> ArraySlice<UInt8>? {
            guard position < text.endIndex else { return nil }
            let end = text[position...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let line = text[position..<end]
            position = end < text.endIndex ? end + 1 : end
            return line
        }
    }
}
