/// The one 64-bit hash of byte strings for the tables a build keeps (search terms, interned diff lines): the bytes
/// eight at a time (the last few packed into one word, with the length), each word mixed in by a multiply and a
/// rotation, finished by MurmurHash3's finaliser so that the low bits (a table's slot) depend on every byte. Byte by
/// byte (FNV-1a) it was a multiply per byte. No output depends on its values.
enum ByteHash {
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(base[index]) << shift
            shift += 8
            index += 1
        }
        hash = mix(hash ^ tail)
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        return hash ^ (hash >> 33)
    }

    /// A multiply, then a rotation so that its high bits reach the low ones.
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0x9E37_79B9_7F4A_7C15
        return product << 29 | product >> 35
    }
}
