import SOPCore

/// Git's blob ids of working copies, remembered by content checksum (`Fingerprint.bulkChecksum`) from earlier builds
/// (`blob-ids.bin` in the cache; in the server's memory), so that telling which files have uncommitted edits hashes
/// only files whose bytes changed.
struct BlobIDMemo: Sendable {
    static let file = "blob-ids.bin"
    static var header: String { "sopsite blob ids; " + BuildCache.binaryIdentity }

    /// Content checksum → blob id (hex).
    var ids: [String: String] = [:]

    static func load(memory: RenderMemory?, cache: BuildCache?) -> BlobIDMemo {
        if let memory { return memory.blobIDs }
        guard let bytes = cache?.read(file) else { return BlobIDMemo() }
        var reader = CacheRecordReader(bytes)
        guard reader.string() == header, let list = reader.strings(), list.count % 2 == 0, reader.isAtEnd else { return BlobIDMemo() }
        var memo = BlobIDMemo()
        for index in stride(from: 0, to: list.count, by: 2) { memo.ids[list[index]] = list[index + 1] }
        return memo
    }

    /// Keeps this build's (checksum, blob id) pairs for the next build, when any had to be hashed or some went away;
    /// the file is written in the background.
    static func keep(_ pairs: [(String, String)], hashed: Bool, after earlier: BlobIDMemo, memory: RenderMemory?, cache: BuildCache?,
                     background: BackgroundWork) {
        let memo = BlobIDMemo(ids: Dictionary(pairs, uniquingKeysWith: { first, _ in first }))
        guard hashed || memo.ids.count != earlier.ids.count else { return }
        if let memory {
            memory.blobIDs = memo
        } else if let cache {
            background.start {
                var writer = CacheRecordWriter()
                writer.string(header)
                writer.strings(memo.ids.flatMap { [$0.key, $0.value] })
                cache.write(writer.bytes, to: file)
            }
        }
    }
}
