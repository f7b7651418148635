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
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingTrailingSpaces == "---" else {
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1)
        }
        for index in 1..<lines.count {
            let line = lines[index].trimmingTrailingSpaces
            if line == "---" || line == "..." {
                let yaml = lines[1..<index].joined(separator: "\n")
                let body = lines[(index + 1)...].joined(separator: "\n")
                return FrontMatterSplit(yaml: yaml, yamlFirstLine: 2, body: body, bodyFirstLine: index + 2)
            }
        }
        throw .unclosed(openingLine: 1)
    }

    /// Normalises CRLF and lone CR to LF and drops a leading UTF-8 byte-order mark (B09: CRLF files must not leak `\r`).
    /// Works on bytes: in Swift `"\r\n"` is one `Character`, so character-level replacement would miss it.
    public static func normalise(_ text: String) -> String {
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

extension Substring {
    var trimmingTrailingSpaces: Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}

