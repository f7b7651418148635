#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Markdown file split into its YAML front matter and its body, with the file lines each starts on.
///
/// The rule is Jekyll's and MkDocs' (`---` alone on the first line, closed by `---` or `...` alone on a line). Parsing the
/// YAML is the Documents stage's job; this type only splits, so History can compare bodies without a YAML parser.
public struct FrontMatterSplit: Sendable, Equatable {
    /// The YAML text without the fences, or `nil` when the file has no front matter.
    public let yaml: String?
    /// 1-based file line of the first YAML line (2 when present).
    public let yamlFirstLine: Int
    /// The Markdown after the closing fence (or the whole file).
    public let body: String
    /// 1-based file line on which `body` starts.
    public let bodyFirstLine: Int

    public enum Failure: Error, Equatable, Sendable {
        /// The opening `---` has no closing fence.
        case unclosed(openingLine: Int)
    }

    /// Splits `text`, which must already have line endings normalised to `\n` and any byte-order mark removed.
    /// - Throws: `Failure.unclosed` when the opening fence is never closed.
    public static func split(_ text: String) throws(Failure) -> FrontMatterSplit {
        // Bytes, not Characters: this runs on every file and every revision, and only ASCII fences matter.
        let bytes = Array(text.utf8)
        func lineEnd(_ start: Int) -> Int {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            return end
        }
        func isFence(_ start: Int, _ end: Int, _ mark: UInt8) -> Bool {
            var last = end
            while last > start, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
            return last - start == 3 && bytes[start] == mark && bytes[start + 1] == mark && bytes[start + 2] == mark
        }
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        let firstEnd = lineEnd(0)
        guard isFence(0, firstEnd, 0x2D) else {
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1)
        }
        var start = firstEnd + 1, line = 2
        while start <= bytes.count, firstEnd < bytes.count {
            let end = lineEnd(start)
            if isFence(start, end, 0x2D) || isFence(start, end, 0x2E) {
                let yamlStart = firstEnd + 1
                let yaml = start > yamlStart ? string(yamlStart..<(start - 1)) : ""
                let body = end < bytes.count ? string((end + 1)..<bytes.count) : ""
                return FrontMatterSplit(yaml: yaml, yamlFirstLine: 2, body: body, bodyFirstLine: line + 1)
            }
            if end >= bytes.count { break }
            start = end + 1
            line += 1
        }
        throw .unclosed(openingLine: 1)
    }

    /// Normalises CRLF and lone CR to LF and drops a leading UTF-8 byte-order mark (B09: CRLF files must not leak `\r`).
    /// Works on bytes: in Swift `"\r\n"` is one `Character`, so character-level replacement would miss it.
    public static func normalise(_ text: String) -> String {
        // Most files have neither: the text itself, not a copy.
        let isClean = text.utf8.withContiguousStorageIfAvailable { bytes in
            !(bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
                && (bytes.baseAddress.map { memchr($0, 0x0D, bytes.count) == nil } ?? true)
        }
        if isClean == true { return text }
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard bytes.contains(0x0D) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                out.append(0x0A)
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
