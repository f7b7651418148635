/// Decides what a change did to a Markdown document: body, front matter, whitespace or nothing.
///
/// Works on bytes: it runs for every (commit, document) change of the history pass, and Swift's grapheme-aware string
/// splitting cost half of a 10,000-commit build. UTF-8 never uses the bytes of `\n`, `\r`, space, tab or `-` inside a
/// multi-byte character, so line and whitespace rules are exact on bytes. Lines are compared as they are found, without
/// collecting them: building arrays of line slices was a fifth of the history pass.
enum ContentClassifier {
    /// Compares two versions of a file (raw bytes). Line endings are normalised first (a CRLF conversion is
    /// whitespace); a body that differs only in blank lines, trailing spaces or indentation is whitespace.
    static func classify(old: [UInt8], new: [UInt8]) -> ChangeKind {
        old.withUnsafeBufferPointer { before in new.withUnsafeBufferPointer { after in classify(old: before, new: after) } }
    }

    /// `classify(old:new:)` on bytes owned by someone else (a blob as libgit2 read it).
    static func classify(old: UnsafeBufferPointer<UInt8>, new: UnsafeBufferPointer<UInt8>) -> ChangeKind {
        if same(old, new) { return .unchanged }
        return normalised(old) { before in
            normalised(new) { after in classify(normalised: before, after) }
        }
    }

    private static func classify(normalised old: UnsafeBufferPointer<UInt8>, _ new: UnsafeBufferPointer<UInt8>) -> ChangeKind {
        let before = Parts(old)
        let after = Parts(new)
        if !(same(before.body, after.body) || sameSignificantLines(before.body, after.body, trimLeading: true)) {
            return .content
        }
        // A front-matter edit alongside a reformat is still a metadata change, not a revision.
        return sameSignificantLines(before.frontMatter, after.frontMatter, trimLeading: false) ? .whitespace : .metadata
    }

    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    /// Calls `body` with the bytes as LF-only text: CRLF and lone CR become LF; a leading byte-order mark is dropped.
    /// Copies only when there is a CR.
    static func normalised<Result>(_ whole: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var start = 0
        if whole.count >= 3, whole[0] == 0xEF, whole[1] == 0xBB, whole[2] == 0xBF { start = 3 }
        let text = UnsafeBufferPointer(rebasing: whole[start...])
        guard let base = text.baseAddress, memchr(base, Int32(carriageReturn), text.count) != nil else { return body(text) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == carriageReturn {
                out.append(newline)
                if index + 1 < text.count, text[index + 1] == newline { index += 1 }
            } else {
                out.append(text[index])
            }
            index += 1
        }
        return out.withUnsafeBufferPointer(body)
    }

    /// The front matter (between `---` fences on their own lines) and the body, as `FrontMatterSplit` splits text.
    struct Parts {
        let frontMatter: UnsafeBufferPointer<UInt8>
        let body: UnsafeBufferPointer<UInt8>

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var lines = LineIterator(bytes)
            guard let first = lines.next(), Self.isFence(first, closing: false) else {
                frontMatter = UnsafeBufferPointer(rebasing: bytes[0..<0])
                body = bytes
                return
            }
            let yamlStart = lines.position
            while true {
                let lineStart = lines.position
                guard let line = lines.next() else { break }
                if Self.isFence(line, closing: true) {
                    frontMatter = UnsafeBufferPointer(rebasing: bytes[yamlStart..<lineStart])
                    body = UnsafeBufferPointer(rebasing: bytes[lines.position...])
                    return
                }
            }
            // Unclosed: all body here (the Documents stage reports it to the writer).
            frontMatter = UnsafeBufferPointer(rebasing: bytes[0..<0])
            body = bytes
        }

        private static func isFence(_ line: UnsafeBufferPointer<UInt8>, closing: Bool) -> Bool {
            let trimmed = ContentClassifier.trim(line, leading: false)
            guard trimmed.count == 3 else { return false }
            let dash = UInt8(ascii: "-"), dot = UInt8(ascii: ".")
            return trimmed.allSatisfy { $0 == dash } || (closing && trimmed.allSatisfy { $0 == dot })
        }
    }

    /// True when both texts have the same lines once trailing (and, for bodies, leading) spaces and tabs are removed
    /// and blank lines dropped.
    static func sameSignificantLines(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, trimLeading: Bool) -> Bool {
        // Whole lines that both texts start with give both the same significant lines: compare from the first line
        // that differs (most edits leave most of a document as it was).
        let start = startOfFirstDifferentLine(a, b)
        var left = SignificantLines(UnsafeBufferPointer(rebasing: a[start...]), trimLeading: trimLeading)
        var right = SignificantLines(UnsafeBufferPointer(rebasing: b[start...]), trimLeading: trimLeading)
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case (let x?, let y?): if !same(x, y) { return false }
            default: return false
            }
        }
    }

    /// The offset just past the last newline that lies in the bytes `a` and `b` start with (0 when there is none).
    static func startOfFirstDifferentLine(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let x = a.baseAddress, let y = b.baseAddress else { return 0 }
        let count = min(a.count, b.count)
        var common = 0
        while common + 8 <= count,
              UnsafeRawPointer(x + common).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(y + common).loadUnaligned(as: UInt64.self) {
            common += 8
        }
        while common < count, x[common] == y[common] { common += 1 }
        var end = common
        while end > 0, x[end - 1] != newline { end -= 1 }
        return end
    }

    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }
        return memcmp(x, y, a.count) == 0
    }

    static func trim(_ line: UnsafeBufferPointer<UInt8>, leading: Bool) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = line.count
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        if leading { while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 } }
        return UnsafeBufferPointer(rebasing: line[start..<end])
    }

    /// Non-blank lines, trimmed.
    struct SignificantLines: IteratorProtocol {
        private var lines: LineIterator
        private let trimLeading: Bool

        init(_ text: UnsafeBufferPointer<UInt8>, trimLeading: Bool) {
            lines = LineIterator(text)
            self.trimLeading = trimLeading
        }

        mutating func next() -> UnsafeBufferPointer<UInt8>? {
            while let line = lines.next() {
                let trimmed = ContentClassifier.trim(line, leading: trimLeading)
                if !trimmed.isEmpty { return trimmed }
            }
            return nil
        }
    }

    /// Lines of a byte buffer, without their `\n`; `position` is the offset of the next line.
    struct LineIterator: IteratorProtocol {
        let text: UnsafeBufferPointer<UInt8>
        private(set) var position = 0

        init(_ text: UnsafeBufferPointer<UInt8>) {
            self.text = text
        }

        mutating func next() -> UnsafeBufferPointer<UInt8>? {
            guard position < text.count, let base = text.baseAddress else { return nil }
            let rest = text.count - position
            var end = text.count
            if let found = memchr(base + position, Int32(ContentClassifier.newline), rest) {
                end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            }
            let line = UnsafeBufferPointer(rebasing: text[position..<end])
            position = end < text.count ? end + 1 : end
            return line
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
