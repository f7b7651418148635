import Foundation

/// The one JSON encoder factory: sorted keys and unescaped slashes, so the same site gives the same bytes.
///
/// `<`, `>` and `&` are written `\u003c`, `\u003e`, `\u0026`, and U+2028 and U+2029 as `\u2028`, `\u2029` (as Go's
/// `encoding/json` does): a JSON file may then be pasted into a `<script>` element or served to an old JavaScript
/// parser without a writer's `</script>` or line separator ending it early. The decoded values are unchanged.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return escapedForEmbedding(Array(try encoder.encode(value))) + [0x0A]
        } catch {
            // Only plain strings, numbers, arrays and structs are encoded here; failing would be a programming error.
            preconditionFailure("JSON encoding failed: \(error)")
        }
    }

    /// Rewrites the five characters inside JSON text. They can only occur inside strings (JSON's structure is ASCII
    /// punctuation, and 0xE2 only starts a multi-byte UTF-8 sequence), so a byte scan is exact. O(bytes).
    static func escapedForEmbedding(_ json: [UInt8]) -> [UInt8] {
        guard json.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }) else { return json }
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 64)
        var index = 0
        while index < json.count {
            let byte = json[index]
            switch byte {
            case 0x3C: out += Array("\\u003c".utf8)
            case 0x3E: out += Array("\\u003e".utf8)
            case 0x26: out += Array("\\u0026".utf8)
            case 0xE2 where index + 2 < json.count && json[index + 1] == 0x80 && (json[index + 2] == 0xA8 || json[index + 2] == 0xA9):
                out += Array((json[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 3
                continue
            default: out.append(byte)
            }
            index += 1
        }
        return out
    }
}

/// JSON written by hand for the files a build writes by the hundred (search shards, `api/pages.json`): the same bytes
/// as `JSONOutput.encode` gives for the same values (its escapes included; tests compare the two), without
/// `JSONEncoder`'s boxing of every value, which made the search index a fifth of a one-SOP rebuild. Keys are written
/// by the caller, in sorted order.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1_024) { bytes.reserveCapacity(capacity) }

    /// Punctuation and keys, as given.
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func int(_ value: Int) {
        if value >= 0, value < 10 {
            bytes.append(0x30 + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    mutating func int(_ value: Int?) {
        if let value { int(value) } else { raw("null") }
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    /// A string literal: `"` and `\` escaped, control characters as JSONEncoder writes them (`\n`, `\u001f`), and
    /// `<`, `>`, `&`, U+2028, U+2029 as `\u` escapes (see `JSONOutput`).
    mutating func string(_ value: String) {
        bytes.append(0x22)
        var value = value
        let special = Self.special
        value.withUTF8 { utf8 in
            var start = 0, index = 0
            func flush(_ end: Int) { if end > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<end])) } }
            while index < utf8.count {
                // Most bytes need nothing: skipped by a table lookup each (a search index writes 5 MB of text).
                if !special[Int(utf8[index])] {
                    index += 1
                    continue
                }
                let byte = utf8[index]
                let escape: StaticString?
                var width = 1
                switch byte {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0x3C: escape = "\\u003c"
                case 0x3E: escape = "\\u003e"
                case 0x26: escape = "\\u0026"
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                case ..<0x20:
                    flush(index)
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                    index += 1
                    start = index
                    continue
                default: escape = nil
                }
                if let escape {
                    flush(index)
                    raw(escape)
                    index += width
                    start = index
                } else {
                    index += 1
                }
            }
            flush(utf8.count)
        }
        bytes.append(0x22)
    }

    /// The bytes `string` looks at: control characters, `"`, `\`, `<`, `>`, `&`, and 0xE2 (which starts U+2028 and U+2029).
    private static let special: [Bool] = (0...255).map { byte in
        byte < 0x20 || [0x22, 0x5C, 0x3C, 0x3E, 0x26, 0xE2].contains(byte)
    }

    /// `[a,b,…]`, each element written by `element`.
    mutating func array<Element>(_ elements: some Sequence<Element>, _ element: (inout JSONWriter, Element) -> Void) {
        bytes.append(0x5B)
        var first = true
        for item in elements {
            if !first { bytes.append(0x2C) }
            first = false
            element(&self, item)
        }
        bytes.append(0x5D)
    }

    mutating func strings(_ values: [String]) { array(values) { $0.string($1) } }
    mutating func ints(_ values: [Int]) { array(values) { $0.int($1) } }
    mutating func ints(_ values: [Int?]) { array(values) { $0.int($1) } }
}
