/// Two 64-bit multiply-and-xor lanes (FNV-1a's prime, and a golden-ratio multiplier with a shift) over 8-byte words,
/// mixed at the end: 128 bits, not cryptographic (a collision needs an
/// adversary, and a writer who could craft one controls the content anyway).
public struct Fingerprint: Sendable {
    private var a: UInt64 = 0xcbf29ce484222325
    private var b: UInt64 = 0x84222325cbf29ce4

    public init() {}

    /// The 128-bit hash of `bytes` as 32 hex digits: cache files carry it, so one edited or damaged is not read.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> String {
        var fingerprint = Fingerprint()
        fingerprint.addBytes(bytes)
        return fingerprint.hex
    }

    /// A 128-bit checksum of large buffers (cache files, source files) as 32 hex digits: two lanes of multiply and
    /// xor-shift over 8-byte words, several times faster than `checksum` (a rebuild checks and writes about 60 MB of
    /// caches). Every step is invertible, so a buffer that differs from another in one word always differs in sum;
    /// detects damage and edits, not adversaries.
    public static func bulkChecksum(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { bulkChecksum($0) }
    }

    /// `bulkChecksum` of a text's UTF-8 bytes.
    public static func bulkChecksum(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bulkChecksum(UnsafeRawBufferPointer($0)) }
    }

    /// `bulkChecksum` of the bytes of `pieces` one after the other (as if joined), without joining them.
    public static func bulkChecksum(pieces: [ArraySlice<UInt8>]) -> String {
        var a: UInt64 = 0x9E3779B97F4A7C15 ^ UInt64(pieces.reduce(0) { $0 + $1.count }), b: UInt64 = 0xC2B2AE3D27D4EB4F
        // A block of 16 bytes split between two pieces is put together here first.
        var carry: [UInt8] = []
        carry.reserveCapacity(16)
        func block(_ buffer: UnsafeRawBufferPointer, at offset: Int) {
            a = (a ^ buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9FB21C651E98DF25
            a ^= a >> 29
            b = (b ^ buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* 0xD6E8FEB86659FD93
            b ^= b >> 29
        }
        for piece in pieces {
            piece.withUnsafeBytes { buffer in
                var offset = 0
                if !carry.isEmpty {
                    offset = min(16 - carry.count, buffer.count)
                    carry.append(contentsOf: buffer[..<offset])
                    guard carry.count == 16 else { return }
                    carry.withUnsafeBytes { block($0, at: 0) }
                    carry.removeAll(keepingCapacity: true)
                }
                while offset + 16 <= buffer.count {
                    block(buffer, at: offset)
                    offset += 16
                }
                carry.append(contentsOf: buffer[offset...])
            }
        }
        for byte in carry {
            a = (a ^ UInt64(byte)) &* 0x9FB21C651E98DF25
            a ^= a >> 29
        }
        var fingerprint = Fingerprint()
        fingerprint.a ^= a
        fingerprint.b ^= b
        return fingerprint.hex
    }

    private static func bulkChecksum(_ buffer: UnsafeRawBufferPointer) -> String {
        var a: UInt64 = 0x9E3779B97F4A7C15 ^ UInt64(buffer.count), b: UInt64 = 0xC2B2AE3D27D4EB4F
        var offset = 0
        while offset + 16 <= buffer.count {
            a = (a ^ buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9FB21C651E98DF25
            a ^= a >> 29
            b = (b ^ buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* 0xD6E8FEB86659FD93
            b ^= b >> 29
            offset += 16
        }
        while offset < buffer.count {
            a = (a ^ UInt64(buffer[offset])) &* 0x9FB21C651E98DF25
            a ^= a >> 29
            offset += 1
        }
        var fingerprint = Fingerprint()
        fingerprint.a ^= a
        fingerprint.b ^= b
        return fingerprint.hex
    }

    public mutating func add(_ text: String) { addBytes(text.utf8) }

    /// A text that may be absent: absent differs from every text, the empty one included.
    public mutating func add(_ text: String?) {
        if let text { add(text) } else { addBytes(CollectionOfOne(0x01)) }
    }

    /// An integer, as its eight bytes.
    public mutating func add(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { add(contiguous: $0.assumingMemoryBound(to: UInt8.self)) }
    }

    public mutating func add(_ value: Int) { add(Int64(value)) }

    public mutating func addBytes(_ bytes: some Sequence<UInt8>) {
        // Arrays and native strings are hashed in place; anything else is copied first, so the same bytes always
        // give the same fingerprint.
        if bytes.withContiguousStorageIfAvailable({ add(contiguous: $0) }) == nil {
            Array(bytes).withUnsafeBufferPointer { add(contiguous: $0) }
        }
    }

    /// Eight bytes a step: render keys hash every SOP's history on every build, and a byte a step was most of their
    /// cost. The length is mixed in, then a separator, so ("ab", "c") and ("a", "bc") differ.
    private mutating func add(contiguous buffer: UnsafeBufferPointer<UInt8>) {
        var a = self.a, b = self.b
        var offset = 0
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            while offset + 8 <= buffer.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                a = (a ^ word) &* 0x100000001b3
                a ^= a >> 32
                b = (b ^ word) &* 0x9E3779B97F4A7C15
                b ^= b >> 29
                offset += 8
            }
        }
        while offset < buffer.count {
            a = (a ^ UInt64(buffer[offset])) &* 0x100000001b3
            b = (b ^ UInt64(buffer[offset])) &* 0x9E3779B97F4A7C15
            b ^= b >> 29
            offset += 1
        }
        a = (a ^ UInt64(buffer.count) ^ 0xFF00_0000_0000_0000) &* 0x100000001b3
        b = (b ^ 0xFF) &* 0x9E3779B97F4A7C15
        self.a = a
        self.b = b
    }

    public var hex: String {
        func mix(_ value: UInt64) -> UInt64 {
            var x = value
            x ^= x >> 33; x = x &* 0xff51afd7ed558ccd; x ^= x >> 33; x = x &* 0xc4ceb9fe1a85ec53; x ^= x >> 33
            return x
        }
        // 32 lower-case hex digits written into place (`String(radix:)` and padding made four strings per call, and
        // every file's checksum is written out on every build).
        let (high, low) = (mix(a), mix(b ^ a))
        return String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<16 {
                let shift = UInt64(60 - 4 * index)
                buffer[index] = digits.utf8Start[Int((high >> shift) & 15)]
                buffer[16 + index] = digits.utf8Start[Int((low >> shift) & 15)]
            }
            return 32
        }
    }
}
