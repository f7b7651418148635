import SOPCore

/// The binary cache form of a whole history index (`CacheRecordWriter`), so that a build at an unchanged HEAD reads
/// the index instead of walking 10,000 commits again. Strings are written once each in a table (a commit touching
/// many documents repeats its id, author and subject) and referred to by number.
extension HistoryIndex {
    public func write(to writer: inout CacheRecordWriter) {
        var numbers: [String: Int] = [:]
        var table: [String] = []
        func ref(_ text: String) -> Int {
            if let number = numbers[text] { return number }
            numbers[text] = table.count
            table.append(text)
            return table.count - 1
        }
        var body = CacheRecordWriter()
        func instant(_ value: Instant) {
            body.integer(value.secondsSinceEpoch)
            body.integer(Int64(value.offsetMinutes))
        }
        body.count(head.map { ref($0) + 1 } ?? 0)
        body.count(commitCount)
        body.count(isShallow ? 1 : 0)
        body.count(reviewTrailers.count)
        for trailer in reviewTrailers {
            body.count(ref(trailer.commitID))
            body.count(trailer.ids.count)
            for id in trailer.ids { body.count(ref(id)) }
            body.count(ref(trailer.reviewerName))
            body.count(ref(trailer.reviewerEmail))
            instant(trailer.time)
            body.count(ref(trailer.subject))
            body.count(ref(trailer.note))
        }
        body.count(documents.count)
        for history in documents.values {
            body.count(ref(history.path.value))
            body.count(ref(history.headBlob))
            body.count(history.commits.count)
            for record in history.commits {
                body.count(ref(record.id))
                body.count(ref(record.authorName))
                body.count(ref(record.authorEmail))
                instant(record.authorTime)
                instant(record.committerTime)
                body.count(ref(record.subject))
                body.count(ref(record.path.value))
                switch record.effect {
                case .added: body.count(0)
                case .modified: body.count(1)
                case .renamed(let from):
                    body.count(2)
                    body.count(ref(from.value))
                case .deleted: body.count(3)
                }
                body.count(ref(record.kind.rawValue))
                body.count(record.blob.map { ref($0) + 1 } ?? 0)
                body.count((record.isMerge ? 1 : 0) | (record.isIgnored ? 2 : 0))
            }
        }
        writer.strings(table)
        writer.append(body.bytes)
    }

    /// nil when the bytes are not a whole index as `write(to:)` writes it.
    public init?(reading reader: inout CacheRecordReader) {
        guard let table = reader.strings() else { return nil }
        // Numbers into the table (`count`, not `length`: they may exceed the bytes left).
        func text() -> String? {
            guard let number = reader.count(), number < UInt64(table.count) else { return nil }
            return table[Int(number)]
        }
        func optionalText() -> String?? {
            guard let number = reader.count(), number <= UInt64(table.count) else { return nil }
            return number == 0 ? .some(nil) : table[Int(number) - 1]
        }
        func instant() -> Instant? {
            guard let seconds = reader.integer(), let offset = reader.integer(), abs(offset) < 24 * 60 else { return nil }
            return Instant(secondsSinceEpoch: seconds, offsetMinutes: Int(offset))
        }
        guard let head = optionalText(), let commitCount = reader.count().map(Int.init(clamping:)), let shallow = reader.count(), shallow <= 1,
              let trailerCount = reader.length() else { return nil }
        var trailers: [ReviewTrailer] = []
        for _ in 0..<trailerCount {
            guard let commitID = text(), let idCount = reader.length() else { return nil }
            var ids: [String] = []
            for _ in 0..<idCount {
                guard let id = text() else { return nil }
                ids.append(id)
            }
            guard let name = text(), let email = text(), let time = instant(), let subject = text(), let note = text() else { return nil }
            trailers.append(ReviewTrailer(commitID: commitID, ids: ids, reviewerName: name, reviewerEmail: email, time: time,
                                          subject: subject, note: note))
        }
        guard let documentCount = reader.length() else { return nil }
        var documents: [RepoPath: DocumentHistory] = [:]
        documents.reserveCapacity(documentCount)
        for _ in 0..<documentCount {
            guard let path = text(), let headBlob = text(), let recordCount = reader.length(), recordCount > 0 else { return nil }
            var records: [CommitRecord] = []
            records.reserveCapacity(recordCount)
            for _ in 0..<recordCount {
                guard let id = text(), let name = text(), let email = text(), let authorTime = instant(), let committerTime = instant(),
                      let subject = text(), let recordPath = text(), let effectCode = reader.count() else { return nil }
                let effect: CommitRecord.Effect
                switch effectCode {
                case 0: effect = .added
                case 1: effect = .modified
                case 2:
                    guard let from = text() else { return nil }
                    effect = .renamed(from: RepoPath(from))
                case 3: effect = .deleted
                default: return nil
                }
                guard let kind = text().flatMap(ChangeKind.init(rawValue:)), let blob = optionalText(), let flags = reader.count(),
                      flags <= 3 else { return nil }
                records.append(CommitRecord(id: id, authorName: name, authorEmail: email, authorTime: authorTime, committerTime: committerTime,
                                            subject: subject, path: RepoPath(recordPath), effect: effect, kind: kind, blob: blob,
                                            isMerge: flags & 1 != 0, isIgnored: flags & 2 != 0))
            }
            guard documents[RepoPath(path)] == nil else { return nil }
            documents[RepoPath(path)] = DocumentHistory(path: RepoPath(path), headBlob: headBlob, commits: records)
        }
        guard reader.isAtEnd else { return nil }
        self.init(head: head, commitCount: commitCount, documents: documents, reviewTrailers: trailers, isShallow: shallow == 1)
    }
}
