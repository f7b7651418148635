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
