import Documents
import SiteModel
import SOPCore

/// Search entries are kept in the build cache with the SOP they index (`RenderCache`), so a reused SOP is not
/// tokenised again.
extension SearchIndex.Entry: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, title, url, kind, processKey, ownerHandle, ownerName, tags, state, due, lifecycle, passages, terms, weights
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        url = try container.decode(String.self, forKey: .url)
        kind = try container.decode(DocumentKind.self, forKey: .kind)
        processKey = try container.decodeIfPresent(String.self, forKey: .processKey)
        if let handle = try container.decodeIfPresent(String.self, forKey: .ownerHandle) {
            owner = (handle, try container.decode(String.self, forKey: .ownerName))
        } else {
            owner = nil
        }
        tags = try container.decode([String].self, forKey: .tags)
        state = try container.decodeIfPresent(ReviewState.self, forKey: .state)
        due = try container.decodeIfPresent(Day.self, forKey: .due)
        lifecycle = try container.decodeIfPresent(String.self, forKey: .lifecycle)
        passages = try container.decode([String].self, forKey: .passages)
        // One string each (unit separators), not arrays of hundreds: decoding 600,000 small JSON strings was a tenth of
        // a rebuild at 2,000 SOPs. Terms are folded words and never hold a control character.
        let packed = try container.decode(String.self, forKey: .terms)
        let weights = try container.decode(String.self, forKey: .weights).split(separator: "\u{1F}").compactMap { UInt8($0) }
        guard packed.split(separator: "\u{1F}").count == weights.count else {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: container, debugDescription: "one weight per term")
        }
        packedTerms = packed
        self.weights = weights
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(url, forKey: .url)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(processKey, forKey: .processKey)
        try container.encodeIfPresent(owner?.handle, forKey: .ownerHandle)
        try container.encodeIfPresent(owner?.name, forKey: .ownerName)
        try container.encode(tags, forKey: .tags)
        try container.encodeIfPresent(state, forKey: .state)
        try container.encodeIfPresent(due, forKey: .due)
        try container.encodeIfPresent(lifecycle, forKey: .lifecycle)
        try container.encode(passages, forKey: .passages)
        try container.encode(packedTerms, forKey: .terms)
        try container.encode(weights.map { String($0) }.joined(separator: "\u{1F}"), forKey: .weights)
    }
}
