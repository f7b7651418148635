import SOPCore
import Testing

@Suite struct FingerprintTests {
    /// Bytes of every length around the 16-byte step, split at every kind of boundary.
    @Test("a checksum of pieces equals the checksum of the pieces joined, however they are split")
    func piecesChecksum() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 15, 16, 17, 31, 32, 33, 100, 4_099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let whole = Fingerprint.bulkChecksum(bytes)
            #expect(Fingerprint.bulkChecksum(pieces: [bytes[...]]) == whole)
            for _ in 0..<50 {
                var cuts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Int.random(in: 0...length, using: &generator) }
                cuts = ([0] + cuts + [length]).sorted()
                let pieces = zip(cuts, cuts.dropFirst()).map { bytes[$0..<$1] }
                #expect(Fingerprint.bulkChecksum(pieces: pieces) == whole, "length \(length), cuts \(cuts)")
            }
        }
        #expect(Fingerprint.bulkChecksum(pieces: [[1, 2][...]]) != Fingerprint.bulkChecksum(pieces: [[2, 1][...]]))
    }

    @Test("a record writer's pieces, joined, are its bytes, with records passed on whole kept as they were")
    func writerPieces() {
        let record = [UInt8](repeating: 7, count: 5_000)
        var writer = CacheRecordWriter()
        writer.string("head")
        writer.append(record: record[1...])
        writer.count(300)
        writer.append(record: record[..<10])
        let joined = writer.pieces.reduce(into: [UInt8]()) { $0 += $1 }
        #expect(joined == writer.bytes)
        #expect(writer.bytes == [4] + Array("head".utf8) + Array(record[1...]) + [0xAC, 0x02] + Array(record[..<10]))
        #expect(writer.pieces.count == 3)
    }
}
