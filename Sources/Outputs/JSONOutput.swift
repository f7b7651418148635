import Foundation

/// The one JSON encoder factory: sorted keys and unescaped slashes, so the same site gives the same bytes.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value)) + [0x0A]
        } catch {
            // Only plain strings, numbers, arrays and structs are encoded here; failing would be a programming error.
            preconditionFailure("JSON encoding failed: \(error)")
        }
    }
}
