import SOPCore

/// Decides what a change did to a Markdown document: body, front matter, whitespace or nothing.
enum ContentClassifier {
    /// Compares two versions of a file (raw bytes). Line endings are normalised first (a CRLF conversion is
    /// whitespace); a body that differs only in blank lines, trailing spaces or indentation is whitespace.
    static func classify(old: [UInt8], new: [UInt8]) -> ChangeKind {
        if old == new { return .unchanged }
        let before = parts(old)
        let after = parts(new)
        if before.body == after.body {
            return before.frontMatter == after.frontMatter ? .whitespace : .metadata
        }
        if significantLines(before.body) == significantLines(after.body) {
            // A front-matter edit alongside a reformat is still a metadata change, not a revision.
            return before.frontMatter == after.frontMatter ? .whitespace : .metadata
        }
        return .content
    }

    private static func parts(_ bytes: [UInt8]) -> (frontMatter: String?, body: String) {
        let text = FrontMatterSplit.normalise(String(decoding: bytes, as: UTF8.self))
        guard let split = try? FrontMatterSplit.split(text) else {
            // An unclosed front matter is all body here; the Documents stage reports it to the writer.
            return (nil, text)
        }
        return (split.yaml.map(canonicalYAML), split.body)
    }

    /// Front matter compared line by line without trailing spaces or blank lines.
    private static func canonicalYAML(_ yaml: String) -> String {
        yaml.split(separator: "\n").map { $0.trimmingSuffixSpaces }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// The body's lines without leading or trailing whitespace, blank lines dropped.
    private static func significantLines(_ body: String) -> [Substring] {
        body.split(separator: "\n").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }
}

extension Substring {
    var trimmingSuffixSpaces: Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }

    var trimmingSpaces: Substring {
        var s = trimmingSuffixSpaces
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        return s
    }
}
