import Documents
import SiteModel
import SOPCore

/// The binary cache form of rendered pages (`CacheRecordWriter`), for the page cache of `--cache`.
extension RenderedPages {
    public func write(to writer: inout CacheRecordWriter) {
        writer.count(entries.count)
        for entry in entries { entry.write(to: &writer) }
        writer.count(diagnostics.count)
        for diagnostic in diagnostics { diagnostic.write(to: &writer) }
        writer.strings(paths)
    }

    public init?(reading reader: inout CacheRecordReader) {
        guard let entryCount = reader.length() else { return nil }
        var entries: [SearchIndex.Entry] = []
        for _ in 0..<entryCount {
            guard let entry = SearchIndex.Entry(reading: &reader) else { return nil }
            entries.append(entry)
        }
        guard let count = reader.length() else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<count {
            guard let diagnostic = Diagnostic(reading: &reader) else { return nil }
            diagnostics.append(diagnostic)
        }
        guard let paths = reader.strings() else { return nil }
        self.init(entries: entries, diagnostics: diagnostics, paths: paths)
    }
}

extension SearchIndex.Entry {
    func write(to writer: inout CacheRecordWriter) {
        writer.string(id)
        writer.string(title)
        writer.string(url)
        writer.string(kind.rawValue)
        writer.optional(processKey)
        writer.optional(owner?.handle)
        if let owner { writer.string(owner.name) }
        writer.strings(tags)
        writer.optional(state?.rawValue)
        writer.optional(due?.iso)
        writer.optional(lifecycle)
        writer.strings(passages)
        // Terms stay packed as the entry keeps them: one string (unit separators) and a weight byte per term.
        writer.string(packedTerms)
        writer.count(weights.count)
        writer.append(weights)
    }

    /// How many terms a packed list holds: its non-empty pieces between unit separators (as `split` counts them).
    /// Read on the contiguous bytes: every cached entry is counted on each rebuild (5 MB at 2,000 SOPs).
    static func termCount(_ packed: String) -> Int {
        var packed = packed
        return packed.withUTF8 { bytes in
            var count = 0, previousWasSeparator = true
            for byte in bytes {
                let isSeparator = byte == 0x1F
                // A piece ends where a separator follows a byte that is not one.
                count &+= (isSeparator && !previousWasSeparator) ? 1 : 0
                previousWasSeparator = isSeparator
            }
            return count + (previousWasSeparator ? 0 : 1)
        }
    }

    init?(reading reader: inout CacheRecordReader) {
        guard let id = reader.string(), let title = reader.string(), let url = reader.string(),
              let kind = reader.string().flatMap(DocumentKind.init(rawValue:)),
              let processKey = reader.optional(), let handle = reader.optional() else { return nil }
        var owner: (handle: String, name: String)?
        if let handle {
            guard let name = reader.string() else { return nil }
            owner = (handle, name)
        }
        guard let tags = reader.strings(), let stateName = reader.optional(), let dueText = reader.optional(),
              let lifecycle = reader.optional(), let passages = reader.strings() else { return nil }
        let state = stateName.flatMap(ReviewState.init(rawValue:))
        let due = dueText.flatMap(Day.init(iso:))
        guard (stateName == nil) == (state == nil), (dueText == nil) == (due == nil) else { return nil }
        guard let packedTerms = reader.string(), let termCount = reader.length(), let weights = reader.bytes(count: termCount),
              Self.termCount(packedTerms) == weights.count else { return nil }
        (self.id, self.title, self.url, self.kind, self.processKey, self.owner) = (id, title, url, kind, processKey, owner)
        (self.tags, self.state, self.due, self.lifecycle, self.passages) = (tags, state, due, lifecycle, passages)
        (self.packedTerms, self.weights) = (packedTerms, weights)
    }
}
