import Documents
import SiteModel
import SOPCore

/// The binary cache form of rendered SOPs (`CacheRecordWriter`), for the page cache of `--cache`.
extension RenderedSOP {
    public func write(to writer: inout CacheRecordWriter) {
        entry.write(to: &writer)
        writer.count(diagnostics.count)
        for diagnostic in diagnostics { diagnostic.write(to: &writer) }
        writer.strings(paths)
    }

    public init?(reading reader: inout CacheRecordReader) {
        guard let entry = SearchIndex.Entry(reading: &reader), let count = reader.length() else { return nil }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<count {
            guard let diagnostic = Diagnostic(reading: &reader) else { return nil }
            diagnostics.append(diagnostic)
        }
        guard let paths = reader.strings() else { return nil }
        self.init(entry: entry, diagnostics: diagnostics, paths: paths)
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
        writer.count(terms.count)
        for (term, weight) in terms {
            writer.string(term)
            writer.count(weight)
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
              let lifecycle = reader.optional(), let passages = reader.strings(), let termCount = reader.length() else { return nil }
        let state = stateName.flatMap(ReviewState.init(rawValue:))
        let due = dueText.flatMap(Day.init(iso:))
        guard (stateName == nil) == (state == nil), (dueText == nil) == (due == nil) else { return nil }
        var terms: [(term: String, weight: Int)] = []
        terms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            guard let term = reader.string(), let weight = reader.count(), weight < 1 << 32 else { return nil }
            terms.append((term, Int(weight)))
        }
        (self.id, self.title, self.url, self.kind, self.processKey, self.owner) = (id, title, url, kind, processKey, owner)
        (self.tags, self.state, self.due, self.lifecycle, self.passages, self.terms) = (tags, state, due, lifecycle, passages, terms)
    }
}
