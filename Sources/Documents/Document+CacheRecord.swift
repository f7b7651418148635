import SOPCore

/// The binary cache form of a loaded document (`CacheRecordWriter`): a rebuild reuses the documents of files whose
/// bytes did not change instead of parsing their front matter and Markdown again.
extension Document {
    public func write(to writer: inout CacheRecordWriter) {
        writer.string(path.value)
        writer.string(contentPath)
        writer.string(kind.rawValue)
        writer.string(id)
        writer.string(title)
        writer.string(titleSource.rawValue)
        writer.optional(processKey)
        writer.optional(owner)
        writer.optional(reviewInterval.map { "\($0.months) \($0.days)" })
        writer.optional(criticality)
        writer.optional(scope)
        writer.strings(tags)
        writer.string(status.rawValue)
        writer.optional(effectiveDate?.iso)
        writer.strings(supersedes)
        writer.optional(lastReviewed?.iso)
        writer.integer(Int64(revisionOffset))
        writer.optional(order.map(String.init))
        writer.optional(parent)
        writer.optional(start)
        writer.optional(end)
        writer.strings(stakeholders)
        writer.optional(outcome)
        writer.string(body)
        writer.integer(Int64(bodyFirstLine))
        writer.count(bodyStartsWithTitle ? 1 : 0)
        let lines = keyLines.sorted { $0.key < $1.key }
        writer.count(lines.count)
        for (key, line) in lines {
            writer.string(key)
            writer.integer(Int64(line))
        }
    }

    /// nil when the bytes are not a whole document record.
    public init?(reading reader: inout CacheRecordReader) {
        func day(_ text: String??) -> Day?? {
            guard let text else { return nil }
            guard let text else { return .some(nil) }
            return Day(iso: text).map { .some($0) }
        }
        func integer() -> Int? {
            guard let value = reader.integer(), value >= Int64(Int32.min), value <= Int64(Int32.max) else { return nil }
            return Int(value)
        }
        guard let path = reader.string(), let contentPath = reader.string(), let kind = reader.string().flatMap(DocumentKind.init(rawValue:)),
              let id = reader.string(), let title = reader.string(), let titleSource = reader.string().flatMap(TitleSource.init(rawValue:)),
              let processKey = reader.optional(), let owner = reader.optional(), let intervalText = reader.optional(),
              let criticality = reader.optional(), let scope = reader.optional(), let tags = reader.strings(),
              let status = reader.string().flatMap(DocumentStatus.init(rawValue:)), let effectiveDate = day(reader.optional()),
              let supersedes = reader.strings(), let lastReviewed = day(reader.optional()), let revisionOffset = integer(),
              let orderText = reader.optional(), let parent = reader.optional(), let start = reader.optional(), let end = reader.optional(),
              let stakeholders = reader.strings(), let outcome = reader.optional(), let body = reader.string(),
              let bodyFirstLine = integer(), let startsWithTitle = reader.count(), startsWithTitle <= 1, let lineCount = reader.length()
        else { return nil }
        var reviewInterval: ReviewInterval?
        if let intervalText {
            let parts = intervalText.split(separator: " ").compactMap { Int($0) }
            guard parts.count == 2 else { return nil }
            reviewInterval = ReviewInterval(months: parts[0], days: parts[1])
        }
        var order: Int?
        if let orderText {
            guard let value = Int(orderText) else { return nil }
            order = value
        }
        var keyLines: [String: Int] = [:]
        for _ in 0..<lineCount {
            guard let key = reader.string(), let line = integer() else { return nil }
            keyLines[key] = line
        }
        self.init(path: RepoPath(path), contentPath: contentPath, kind: kind, id: id, title: title, titleSource: titleSource,
                  processKey: processKey, owner: owner, reviewInterval: reviewInterval, criticality: criticality, scope: scope,
                  tags: tags, status: status, effectiveDate: effectiveDate, supersedes: supersedes, lastReviewed: lastReviewed,
                  revisionOffset: revisionOffset, order: order, parent: parent, start: start, end: end, stakeholders: stakeholders,
                  outcome: outcome, body: body, bodyFirstLine: bodyFirstLine, bodyStartsWithTitle: startsWithTitle == 1, keyLines: keyLines)
    }
}
