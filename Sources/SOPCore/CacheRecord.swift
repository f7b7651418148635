/// A compact binary form for the build cache: unsigned LEB128 counts, zigzag LEB128 integers and length-prefixed
/// UTF-8. The page cache of 2,000 SOPs (13 MB as JSON) took a tenth of a rebuild to decode through `Codable`; this
/// form is written and read in a few tens of milliseconds. Not an output format: nothing outside the cache reads it.
/// (Types of later stages add `write(to:)` and `init?(reading:)` beside their definitions.)
public struct CacheRecordWriter {
    /// What is being written now; earlier parts are in `finished`.
    private var buffer: [UInt8] = []
    private var finished: [ArraySlice<UInt8>] = []

    public init() {}

    /// Everything written, in order, as the parts it was written in: records passed on whole (`append(record:)`) stay
    /// the slices they were, so a 10 MB cache file written again is not copied into one buffer first.
    public var pieces: [ArraySlice<UInt8>] { buffer.isEmpty ? finished : finished + [buffer[...]] }

    /// Everything written, joined.
    public var bytes: [UInt8] {
        guard !finished.isEmpty else { return buffer }
        var joined: [UInt8] = []
        joined.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for piece in pieces { joined.append(contentsOf: piece) }
        return joined
    }

    public mutating func count(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    public mutating func count(_ value: Int) { count(UInt64(max(0, value))) }

    public mutating func integer(_ value: Int64) { count(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    public mutating func string(_ text: String) {
        count(text.utf8.count)
        buffer.append(contentsOf: text.utf8)
    }

    public mutating func optional(_ text: String?) {
        if let text {
            buffer.append(1)
            string(text)
        } else {
            buffer.append(0)
        }
    }

    /// Raw bytes, their count written separately by the caller.
    public mutating func append(_ raw: [UInt8]) { buffer.append(contentsOf: raw) }

    /// Bytes a reader took from a record this writer's way (`CacheRecordReader.bytes(from:)`): an entry of an earlier
    /// cache file copied unchanged instead of encoded again.
    /// Bytes written as they are: a record read earlier, passed on. Large ones are kept as the slice they are.
    public mutating func append(record: ArraySlice<UInt8>) {
        guard record.count >= 4_096 else { return buffer.append(contentsOf: record) }
        if !buffer.isEmpty {
            finished.append(buffer[...])
            buffer = []
        }
        finished.append(record)
    }

    public mutating func reserve(_ count: Int) { buffer.reserveCapacity(count) }

    public mutating func strings(_ list: [String]) {
        count(list.count)
        for text in list { string(text) }
    }
}

/// Reads what `CacheRecordWriter` wrote; every read checks its bounds and returns nil on damaged input (never traps).
public struct CacheRecordReader {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position == bytes.count }

    /// Where the next read starts.
    public var offset: Int { position }

    /// The bytes read since `start` (an `offset`), to be written again as they are (`CacheRecordWriter.append(record:)`).
    public func bytes(from start: Int) -> ArraySlice<UInt8> { bytes[start..<position] }

    public mutating func count() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// A count that fits an `Int` and is no larger than what is left to read (so a damaged count cannot make a reader
    /// reserve gigabytes).
    public mutating func length() -> Int? {
        guard let value = count(), value <= UInt64(bytes.count - position) else { return nil }
        return Int(value)
    }

    public mutating func integer() -> Int64? {
        count().map { Int64(bitPattern: ($0 >> 1) ^ (0 &- ($0 & 1))) }
    }

    public mutating func string() -> String? {
        guard let length = length() else { return nil }
        defer { position += length }
        return String(decoding: bytes[position..<position + length], as: UTF8.self)
    }

    public mutating func optional() -> String?? {
        guard position < bytes.count else { return nil }
        position += 1
        switch bytes[position - 1] {
        case 0: return .some(nil)
        case 1: return string().map { .some($0) }
        default: return nil
        }
    }

    /// `count` raw bytes.
    public mutating func bytes(count: Int) -> [UInt8]? {
        guard count >= 0, count <= bytes.count - position else { return nil }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    public mutating func strings() -> [String]? {
        guard let count = length() else { return nil }
        var list: [String] = []
        list.reserveCapacity(count)
        for _ in 0..<count {
            guard let text = string() else { return nil }
            list.append(text)
        }
        return list
    }
}

extension Diagnostic {
    public func write(to writer: inout CacheRecordWriter) {
        writer.string(severity.rawValue)
        writer.string(code)
        writer.string(message)
        location.write(to: &writer)
        writer.count(notes.count)
        for note in notes {
            writer.string(note.message)
            note.location.write(to: &writer)
        }
        writer.optional(fix)
    }

    public init?(reading reader: inout CacheRecordReader) {
        guard let severity = reader.string().flatMap(Severity.init(rawValue:)), let code = reader.string(), let message = reader.string(),
              let location = SourceLocation(reading: &reader), let count = reader.length() else { return nil }
        var notes: [Note] = []
        for _ in 0..<count {
            guard let message = reader.string(), let location = SourceLocation(reading: &reader) else { return nil }
            notes.append(Note(message, at: location))
        }
        guard let fix = reader.optional() else { return nil }
        self.init(severity, code, message, at: location, notes: notes, fix: fix)
    }
}

extension SourceLocation {
    public func write(to writer: inout CacheRecordWriter) {
        writer.string(path.value)
        writer.integer(Int64(line ?? -1))
        writer.integer(Int64(column ?? -1))
    }

    public init?(reading reader: inout CacheRecordReader) {
        guard let path = reader.string(), let line = reader.integer(), let column = reader.integer(),
              line >= -1, column >= -1, line < Int64(Int32.max), column < Int64(Int32.max) else { return nil }
        self.init(RepoPath(path), line: line < 0 ? nil : Int(line), column: column < 0 ? nil : Int(column))
    }
}
