import CGit2

/// A SHA-1 object id, 20 bytes, held as plain integers so it is a cheap `Hashable` value.
public struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    let high: UInt64
    let middle: UInt64
    let low: UInt32

    init(_ oid: git_oid) {
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        withUnsafeBytes(of: oid.id) { bytes in
            for i in 0..<8 { h = h << 8 | UInt64(bytes[i]) }
            for i in 8..<16 { m = m << 8 | UInt64(bytes[i]) }
            for i in 16..<20 { l = l << 8 | UInt32(bytes[i]) }
        }
        high = h
        middle = m
        low = l
    }

    /// The 20 bytes at `bytes` (an id inside a raw tree object).
    init(bytes: UnsafeRawPointer) {
        high = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        middle = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        low = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// Parses 40 hexadecimal digits.
    public init?(hex: String) {
        var oid = git_oid()
        guard hex.utf8.count == 40, git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.init(oid)
    }

    /// Parses 40 hexadecimal digits given as UTF-8 bytes (cache files are read as bytes, not strings).
    public init?(hexBytes digits: UnsafeBufferPointer<UInt8>) {
        guard digits.count == 40 else { return nil }
        func value(_ range: Range<Int>) -> UInt64? {
            var result: UInt64 = 0
            for index in range {
                let digit = digits[index]
                let nibble: UInt8
                switch digit {
                case 0x30...0x39: nibble = digit - 0x30
                case 0x61...0x66: nibble = digit - 0x61 + 10
                case 0x41...0x46: nibble = digit - 0x41 + 10
                default: return nil
                }
                result = result << 4 | UInt64(nibble)
            }
            return result
        }
        guard let h = value(0..<16), let m = value(16..<32), let l = value(32..<40) else { return nil }
        high = h
        middle = m
        low = UInt32(l)
    }

    var raw: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { bytes in
            for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i))) }
            for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: middle >> (56 - 8 * UInt64(i))) }
            for i in 0..<4 { bytes[16 + i] = UInt8(truncatingIfNeeded: low >> (24 - 8 * UInt32(i))) }
        }
        return oid
    }

    /// 40 lowercase hexadecimal digits.
    public var hex: String {
        // Written straight into the string's storage: every commit and blob of a history pass is named this way.
        String(unsafeUninitializedCapacity: 40) { out in
            func put(_ value: UInt64, bytes: Int, at start: Int) {
                for i in 0..<bytes {
                    let byte = UInt8(truncatingIfNeeded: value >> (8 * UInt64(bytes - 1 - i)))
                    out[start + 2 * i] = Self.hexDigit(byte >> 4)
                    out[start + 2 * i + 1] = Self.hexDigit(byte & 0xF)
                }
            }
            put(high, bytes: 8, at: 0)
            put(middle, bytes: 8, at: 16)
            put(UInt64(low), bytes: 4, at: 32)
            return 40
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x61 - 10 + nibble
    }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    /// The id Git gives `bytes` stored as a blob (`git hash-object`), without writing anything.
    public static func blob(hashing bytes: [UInt8]) -> ObjectID {
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        return ObjectID(oid)
    }
}
