import Dispatch
import Foundation
import Documents
import SiteModel
import SOPCore

/// The search index under `search/`: a small manifest, then term, typo and document shards that the client loads
/// only as a query needs them, so a 10,000-SOP site does not make a reader download the whole index up front.
///
/// Every file is `sopsiteSearchData("<name>",<JSON>);`: JSON (sorted keys) wrapped in one call, so the client can load
/// it with a `<script>` element, which works from a static host and from `file://` alike (browsers refuse `fetch` on
/// `file://`). The format is described in README.md ("Search index format"); `formatVersion` changes with it.
///
/// - `search/manifest.js`: version, counts, shard keys, stop words, facet values (processes, owners, kinds, states).
/// - `search/terms-N.js`: a range of the sorted term list with each term's document count and postings (document
///   number, weight), so a word costs one file.
/// - `search/typos-N.js`: the terms a misspelt word may mean, by first character and length, with document counts.
/// - `search/docs-N.js`: what a result shows (title, id, URL, metadata, short passages for excerpts), mostly one
///   document a file, so a reader downloads about the records of the results listed.
/// - `search/facets.js`: each document's process, owner, kind, review state and due day, for filters.
public enum SearchIndex {
    /// Version of the files' shapes, read by the client before anything else.
    public static let formatVersion = 3
    /// Shortest query word, in characters, that the client matches with one typo (README: "one typo tolerated for terms
    /// of five letters or more").
    static let typoMinimumLength = 5

    /// Field weights: what a term found in a field adds to the term's weight for the document (at most 63). The
    /// issue's order: exact SOP id > title > headings, scope and steps > body.
    enum Weight {
        /// The whole id (`sop-cs-001`) when front matter sets it; a path-derived id or a process key counts as `idPart`.
        static let exactID = 60
        /// A title of three words or fewer; longer titles weigh less, by the square root of 3 / words, so that a word
        /// of "customer refund" counts more than one of "calculate and issue a partial refund".
        static let title = 20
        static let idPart = 8
        static let tag = 6
        static let heading = 5
        static let scope = 5
        static let step = 3
        static let process = 2
        static let owner = 2
        /// Body words count by frequency: 1 occurrence 1, 2–3 → 2, 4–7 → 3, 8 and more → 4.
        static let bodyMaximum = 4
        /// Weights are one base-64 digit in the postings.
        static let maximum = 63
    }

    /// How large shards grow before a new one starts, in bytes of JSON (a single term's postings may exceed it).
    struct Layout: Sendable {
        var termShardBytes = 8_192
        var typoShardBytes = 8_192
        /// Small, so that a result costs about its own record: one record a file unless records average under 512 bytes.
        var docShardBytes = 1_024
        /// Most characters of passages kept per document for excerpts, and per passage.
        var passageBudget = 900
        var passageLength = 180

        static let standard = Layout()
    }

    /// One searchable page (an SOP or a process) analysed for the index; made while its page is rendered, so the
    /// work runs in the renderer's parallel chunks.
    public struct Entry: Sendable {
        let id: String
        let title: String
        /// Site-relative URL without the leading `/`, percent-encoded (`customer-support/process-a-refund/`).
        let url: String
        let kind: DocumentKind
        let processKey: String?
        /// Owner handle and display name (from the owners file, else the handle).
        let owner: (handle: String, name: String)?
        let tags: [String]
        /// Review state and due day on the build's `now`; nil for a process page.
        let state: ReviewState?
        let due: Day?
        /// `draft`, `retired` or `superseded`; nil for a document in force. Obsolete documents weigh half.
        let lifecycle: String?
        /// Short passages of the page's text, in reading order, for excerpts (scope first).
        let passages: [String]
        /// Each distinct term with its weight for this page (1...63), in the order first met in the page's fields, packed: the terms
        /// joined by U+001F (terms are folded words, never control characters) and one weight byte each. Every entry
        /// is held until the index is built; as arrays of small strings, a 2,000-SOP site's took about 15 MB.
        let packedTerms: String
        let weights: [UInt8]

        /// The terms with their weights, unpacked.
        var terms: [(term: String, weight: Int)] {
            zip(packedTerms.utf8.split(separator: 0x1F), weights).map { (term: String(Substring($0)), weight: Int($1)) }
        }

        /// An SOP page.
        /// - Parameters:
        ///   - headings: the rendered body's headings, in order.
        ///   - plainText: the rendered body's text, blocks separated by newlines.
        public init(sop: SOPPage, site: Site, headings: [String], plainText: String) {
            let document = sop.document
            let processTitle = site.processes.first { $0.key == document.processKey }?.title
            let lifecycle: String? = !sop.supersededBy.isEmpty ? "superseded" : document.status == .effective ? nil : document.status.rawValue
            // An id written in front matter is a document-control id people type; a derived one is the file's path.
            let hasOwnID = document.id != document.contentPath
            self.init(id: document.id, hasOwnID: hasOwnID, title: document.title, url: String(Permalink.encoded(sop.permalink).dropFirst()),
                      kind: document.kind, processKey: document.processKey, processTitle: processTitle,
                      owner: document.owner.map { ($0, sop.owner?.name ?? $0) }, tags: document.tags, scope: document.scope,
                      state: sop.review.state, due: sop.review.nextDue, lifecycle: lifecycle, headings: headings,
                      steps: Self.steps(inMarkdown: document.body), plainText: plainText, layout: .standard)
        }

        /// A process page: found by its title, key, outcome, start, end and text (its title counts once, as a title).
        public init(process: ProcessSection, site: Site, headings: [String], plainText: String) {
            let document = process.document
            let summary = [document?.outcome, document?.start, document?.end].compactMap { $0 }.joined(separator: " ")
            let owner = document?.owner.map { ($0, site.owners[$0]?.name ?? $0) }
            self.init(id: process.key, hasOwnID: false, title: process.title, url: String(Permalink.encoded(process.permalink).dropFirst()),
                      kind: .process, processKey: process.key, processTitle: nil, owner: owner, tags: document?.tags ?? [],
                      scope: summary.isEmpty ? nil : summary, state: nil, due: nil, lifecycle: nil, headings: headings,
                      steps: Self.steps(inMarkdown: document?.body ?? ""), plainText: plainText, layout: .standard)
        }

        init(id: String, hasOwnID: Bool, title: String, url: String, kind: DocumentKind, processKey: String?,
             processTitle: String?, owner: (handle: String, name: String)?, tags: [String], scope: String?,
             state: ReviewState?, due: Day?, lifecycle: String?, headings: [String], steps: [String], plainText: String,
             layout: Layout) {
            self.id = id
            self.title = title
            self.url = url
            self.kind = kind
            self.processKey = processKey
            self.owner = owner
            self.tags = tags
            self.state = state
            self.due = due
            self.lifecycle = lifecycle
            self.passages = Self.passages(scope: scope, plainText: plainText, headings: headings, layout: layout)

            var counter = TermCounter()
            func add(_ terms: some Sequence<String>, _ weight: Int) {
                counter.startField(weight: weight)
                for var term in terms { term.withUTF8 { counter.take($0) } }
            }
            func add(texts: some Sequence<String>, _ weight: Int) {
                counter.startField(weight: weight)
                for text in texts { SearchText.forEachTerm(in: text, into: &counter) }
            }
            let idTokens = SearchText.tokens(inFolded: SearchText.fold(id))
            let wholeID = idTokens.count == 1 ? idTokens[0].compound ?? SearchText.stem(idTokens[0].parts[0]) : nil
            if let wholeID, hasOwnID { add([wholeID], Weight.exactID) }
            add(SearchText.terms(of: idTokens).filter { !hasOwnID || $0 != wholeID }, Weight.idPart)
            let titleWords = Set(SearchText.terms(of: SearchText.tokens(inFolded: SearchText.fold(title)).map {
                SearchText.Token(parts: $0.parts, compound: nil)
            })).count
            add(texts: [title], Int((Double(Weight.title) * (3.0 / Double(max(3, titleWords))).squareRoot()).rounded()))
            add(texts: tags, Weight.tag)
            add(texts: headings, Weight.heading)
            add(texts: scope.map { [$0] } ?? [], Weight.scope)
            add(texts: steps, Weight.step)
            add(texts: processTitle.map { [$0] } ?? [], Weight.process)
            add(texts: owner.map { [$0.handle + " " + $0.name] } ?? [], Weight.owner)
            counter.startBody()
            SearchText.forEachTerm(in: plainText, into: &counter)
            let (table, weights, bodyCount) = (counter.table, counter.weights, counter.bodyCount)
            // A retired or superseded document stays findable, below the one in force.
            let scale = lifecycle == "retired" || lifecycle == "superseded" ? 2 : 1
            (packedTerms, self.weights) = (table.packed(separator: 0x1F), (0..<table.count).map { at in
                let count = bodyCount[at]
                let body = count == 0 ? 0 : min(Weight.bodyMaximum, count >= 8 ? 4 : count >= 4 ? 3 : count >= 2 ? 2 : 1)
                return UInt8(clamping: max(1, min(Weight.maximum, weights[at] + body) / scale))
            })
        }

        /// A page's terms in the order first met, with their weights: found by their bytes (`TermTable`), so that a term
        /// met again costs a hash and a compare, not a string; no sort (the index orders terms itself).
        private struct TermCounter: SearchText.TermSink {
            var table = TermTable()
            /// Per term: its weight from the fields so far, the last field that counted it, its count in the body.
            var weights: [Int] = [], lastField: [Int] = [], bodyCount: [Int] = []
            var field = 0, weight = 0, isBody = false

            /// The fields' terms count by `weight`, each distinct term once per field.
            mutating func startField(weight: Int) {
                field += 1
                self.weight = weight
            }

            /// The body's terms count by occurrence.
            mutating func startBody() { isBody = true }

            mutating func take(_ bytes: UnsafeBufferPointer<UInt8>) {
                let (at, added) = table.index(of: bytes)
                if added {
                    weights.append(0)
                    lastField.append(-1)
                    bodyCount.append(0)
                }
                if isBody {
                    bodyCount[at] += 1
                } else if lastField[at] != field {
                    lastField[at] = field
                    weights[at] += weight
                }
            }
        }

        /// The text of ordered-list items in Markdown (an SOP's steps), link targets removed.
        ///
        /// Read on bytes (character by character it was a fifth of a full build): newlines are always characters of
        /// their own (Unicode's grapheme rules break around them), so byte lines are the character lines, and a line
        /// whose step text would start with a non-ASCII byte (which could join the space before it into one
        /// character) is read by characters, as `characterSteps` does.
        static func steps(inMarkdown markdown: String) -> [String] {
            var steps: [String] = []
            var markdown = markdown
            markdown.withUTF8 { bytes in
                var start = 0
                while start < bytes.count {
                    let (end, width) = lineEnd(in: bytes, from: start)
                    defer { start = end + width }
                    var p = start
                    while p < end, bytes[p] == 0x20 || bytes[p] == 0x09 { p += 1 }
                    let digitsStart = p
                    while p < end, bytes[p] &- 0x30 < 10 { p += 1 }
                    guard (1...3).contains(p - digitsStart), p + 1 < end, bytes[p] == 0x2E || bytes[p] == 0x29, bytes[p + 1] == 0x20
                    else { continue }
                    if p + 2 < end, bytes[p + 2] >= 0x80 {
                        steps += characterSteps(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                    } else {
                        steps.append(removingLinkTargets(String(decoding: UnsafeBufferPointer(rebasing: bytes[(p + 2)..<end]), as: UTF8.self)))
                    }
                }
            }
            return steps
        }

        /// `steps(inMarkdown:)` by characters: the reference, and the way for lines whose step text starts with a
        /// non-ASCII character.
        static func characterSteps(_ markdown: String) -> [String] {
            var steps: [String] = []
            for line in markdown.split(whereSeparator: \.isNewline) {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
                guard (1...3).contains(digits.count) else { continue }
                let rest = trimmed.dropFirst(digits.count)
                guard let marker = rest.first, marker == "." || marker == ")", rest.dropFirst().first == " " else { continue }
                steps.append(Self.removingLinkTargets(String(rest.dropFirst(2))))
            }
            return steps
        }

        /// `[text](target)` → `[text]`, so URLs in steps do not count as step words.
        static func removingLinkTargets(_ text: String) -> String {
            // ASCII text on bytes (the common case; `range(of:)` goes through Foundation), anything else by characters.
            if SearchText.isASCII(text) {
                guard text.utf8.contains(0x5D) else { return text }
                var out: [UInt8] = []
                let bytes = Array(text.utf8)
                var index = 0
                while index < bytes.count {
                    if bytes[index] == 0x5D, index + 1 < bytes.count, bytes[index + 1] == 0x28 {
                        out.append(0x5D)
                        index += 2
                        if let close = bytes[index...].firstIndex(of: 0x29) { index = close + 1 }
                    } else {
                        out.append(bytes[index])
                        index += 1
                    }
                }
                return String(decoding: out, as: UTF8.self)
            }
            var out = ""
            var rest = Substring(text)
            while let open = rest.range(of: "](") {
                out += rest[..<open.lowerBound] + "]"
                rest = rest[open.upperBound...]
                if let close = rest.firstIndex(of: ")") { rest = rest[rest.index(after: close)...] }
            }
            return out + rest
        }

        /// Scope, then the text's blocks (headings left out), each cut at a word to `passageLength`, until
        /// `passageBudget` characters.
        static func passages(scope: String?, plainText: String, headings: [String], layout: Layout) -> [String] {
            let headingSet = Set(headings)
            var passages: [String] = []
            var used = 0
            /// Takes one block; true when the budget is spent.
            func take(_ block: Substring) -> Bool {
                // An ASCII block on bytes (characters are bytes there), any other by characters.
                let isASCII = block.utf8.withContiguousStorageIfAvailable(SearchText.isASCII) ?? block.utf8.allSatisfy { $0 < 0x80 }
                let text = isASCII ? Self.collapsingASCIIWhitespace(block) : block.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                guard (isASCII ? text.utf8.count : text.count) >= 12, !headingSet.contains(text), !passages.contains(text) else { return false }
                let cut = Self.cut(text, to: layout.passageLength)
                passages.append(cut)
                // The ellipsis is one character of three bytes.
                used += isASCII ? cut.utf8.count - (cut.hasSuffix("…") ? 2 : 0) : cut.count
                return used >= layout.passageBudget
            }
            // Blocks split lazily, on bytes (newlines are characters of their own): the budget is usually spent on the
            // first few of a page's hundreds of lines.
            if take(Substring(scope ?? "")) { return passages }
            for block in Self.lines(of: plainText) where take(block) { break }
            return passages
        }

        /// The lines of `text` as `split(whereSeparator: \.isNewline)` gives them (empty ones left out), found on bytes
        /// and one at a time.
        static func lines(of text: String) -> some Sequence<Substring> {
            var text = text
            text.makeContiguousUTF8()
            let utf8 = text.utf8
            var start = 0
            return sequence(state: ()) { _ -> Substring? in
                while start < utf8.count {
                    let (end, width) = utf8.withContiguousStorageIfAvailable { lineEnd(in: $0, from: start) }!
                    let line = Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
                    start = end + width
                    if !line.isEmpty { return line }
                }
                return nil
            }
        }

        /// Where the line that starts at byte `start` ends (`split(whereSeparator: \.isNewline)`'s separators: line
        /// feed to carriage return, NEL, LS, PS), and the separator's width in bytes (0 at the end of the text).
        static func lineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, width: Int) {
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x0A && byte <= 0x0D { return (index, 1) }
                if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 { return (index, 2) }
                if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                    return (index, 3)
                }
                index += 1
            }
            return (index, 0)
        }

        /// Runs of ASCII whitespace (space, tab, line and form feeds, carriage return) as one space, none at either
        /// end: `split(whereSeparator: \.isWhitespace).joined(separator: " ")` for ASCII text.
        static func collapsingASCIIWhitespace(_ block: Substring) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(block.utf8.count)
            var pendingSpace = false
            for byte in block.utf8 {
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20) }
                    pendingSpace = false
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// `text` cut at the last space before `limit` characters, with an ellipsis when cut.
        static func cut(_ text: String, to limit: Int) -> String {
            guard text.utf8.count > limit, text.count > limit else { return text }
            let head = text.prefix(limit)
            let end = head.lastIndex(of: " ") ?? head.endIndex
            return String(head[..<end]) + "…"
        }
    }

    /// Builds the index files (paths under `search/`, sorted by path) for `entries` in any order: the same entries give
    /// the same bytes. Cost: O(postings) plus sorting the terms.
    static func build(_ site: Site, entries: [Entry]) -> [OutputFile] {
        build(entries: entries, processes: site.processes.map { ($0.key, $0.title) }, now: site.now,
              dueSoonDays: site.config.dueSoonDays, layout: .standard)
    }

    static func build(entries unsorted: [Entry], processes: [(key: String, title: String)], now: Day, dueSoonDays: Int,
                      layout: Layout) -> [OutputFile] {
        // Document numbers follow id order (then URL, which is unique), whatever order the renderer produced.
        let entries = unsorted.sorted {
            $0.id != $1.id ? SearchText.utf16Less($0.id, $1.id) : SearchText.utf16Less($0.url, $1.url)
        }
        let processNumber = Dictionary(processes.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: { a, _ in a })
        // Owners by name, then handle; a handle named differently on two pages keeps the first name in id order.
        var ownerNames: [String: String] = [:]
        for entry in entries { if let owner = entry.owner, ownerNames[owner.handle] == nil { ownerNames[owner.handle] = owner.name } }
        let owners = ownerNames.map { Manifest.Labelled(key: $0.key, label: $0.value) }.sorted {
            $0.label != $1.label ? SearchText.utf16Less($0.label, $1.label) : SearchText.utf16Less($0.key, $1.key)
        }
        let ownerNumber = Dictionary(uniqueKeysWithValues: owners.enumerated().map { ($0.element.key, $0.offset) })
        let kinds = DocumentKind.allCases
        let states = ReviewState.allCases

        // Terms (postings, then term and typo shards) and documents (records, document shards, facets) are independent:
        // made side by side, so the index, which waits for every page's entry, holds up the end of a build less. The
        // postings are gathered for two halves of the documents, then the later half's are appended to the earlier's.
        // The document shards likewise, in two halves: a fixed number of documents each, from the average record size.
        // A document's facets by number: in its record, and in the facets file.
        @Sendable func facets(_ entry: Entry) -> (process: Int?, owner: Int?, kind: Int, state: Int?) {
            (entry.processKey.flatMap { processNumber[$0] }, entry.owner.flatMap { ownerNumber[$0.handle] },
             kinds.firstIndex(of: entry.kind) ?? 0, entry.state.flatMap { states.firstIndex(of: $0) })
        }
        @Sendable func record(_ entry: Entry) -> DocumentRecord {
            let numbers = facets(entry)
            return DocumentRecord(id: entry.id, title: entry.title, url: entry.url, kind: numbers.kind, process: numbers.process,
                                  owner: numbers.owner, state: numbers.state, due: entry.due?.iso, status: entry.lifecycle,
                                  tags: entry.tags, text: entry.passages)
        }
        let recordBytes = entries.reduce(0) {
            $0 + DocumentRecord.estimatedBytes(id: $1.id, title: $1.title, url: $1.url, tags: $1.tags, text: $1.passages)
        }
        let averageRecord = entries.isEmpty ? 1 : recordBytes / entries.count
        let docShardSize = max(1, min(256, layout.docShardBytes / max(1, averageRecord)))
        let halves = ResultSlots<PostingsTable>(count: 2), documentParts = ResultSlots<[OutputFile]>(count: 2)
        let middle = entries.count / 2
        DispatchQueue.concurrentPerform(iterations: 4) { job in
            if job < 2 {
                // Postings: term → (document, weight), documents ascending because entries are walked in order; terms
                // found by their bytes (`PostingsTable`).
                var table = PostingsTable()
                for number in job == 0 ? 0..<middle : middle..<entries.count {
                    let entry = entries[number]
                    // Split on bytes, in place: splitting the string by characters was a quarter of the index's time.
                    var packed = entry.packedTerms
                    packed.withUTF8 { bytes in
                        var start = 0, term = 0
                        while start < bytes.count, term < entry.weights.count {
                            var end = start
                            while end < bytes.count, bytes[end] != 0x1F { end += 1 }
                            // Empty pieces are no terms (as `split` leaves them out); each term has its weight.
                            if end > start {
                                let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
                                table.add(piece, hash: TermTable.hash(piece), document: number, weight: Int(entry.weights[term]))
                                term += 1
                            }
                            start = end + 1
                        }
                    }
                }
                halves.store(table, at: job)
            } else {
                // The document shards, half each (the last half with the facets).
                var files: [OutputFile] = []
                let shards = (entries.count + docShardSize - 1) / docShardSize
                let mine = job == 2 ? 0..<(shards / 2) : (shards / 2)..<shards
                let first = mine.lowerBound * docShardSize, end = min(entries.count, mine.upperBound * docShardSize)
                let records = entries[first..<end].map(record)
                for number in mine {
                    let from = number * docShardSize - first
                    files.append(file("docs-\(number)", json: DocumentShard(docs: Array(records[from..<min(from + docShardSize, records.count)])).json))
                }
                if job == 3 {
                    let all = entries.map(facets)
                    files.append(file("facets", json: Facets(process: all.map(\.process), owner: all.map(\.owner), kind: all.map(\.kind),
                                                             state: all.map(\.state), due: entries.map { $0.due?.daysSinceEpoch }).json))
                }
                documentParts.store(files, at: job - 2)
            }
        }
        let collected = halves.collect()
        var table = collected[0]
        table.append(collected[1])
        let order = table.terms.utf16Order()
        // Each term's postings encoded, and its typo key (first scalar, scalar count, found once per term, not per
        // comparison), for two halves of the sorted terms side by side.
        let merged = table, middleTerm = order.count / 2
        let encodedHalves = ResultSlots<(terms: [String], postings: [String], keys: [(first: UInt32, count: Int, candidate: Bool)])>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            let terms = (half == 0 ? order[..<middleTerm] : order[middleTerm...]).map(merged.terms.term(at:))
            let postings = (half == 0 ? order[..<middleTerm] : order[middleTerm...]).map { Self.encode(packed: merged.packed[$0]) }
            encodedHalves.store((terms, postings, terms.map(Self.typoKey)), at: half)
        }
        let encoded = encodedHalves.collect()
        var all = TermList(terms: encoded[0].terms + encoded[1].terms, documents: order.map { table.packed[$0].count },
                           postings: encoded[0].postings + encoded[1].postings)
        let keys = encoded[0].keys + encoded[1].keys
        all.typos = all.terms.indices.filter { keys[$0].candidate }.sorted {
            let (a, b) = (keys[$0], keys[$1])
            if a.first != b.first { return a.first < b.first }
            if a.count != b.count { return a.count < b.count }
            return SearchText.utf16Less(all.terms[$0], all.terms[$1])
        }
        let termPart = Self.termShards(all, layout: layout)
        var files = termPart.files + documentParts.collect().joined()
        let (termShardKeys, typoShardKeys) = (termPart.termShardKeys, termPart.typoShardKeys)

        // The manifest names the build, so the client can ask for shards of this build and not a cached older one.
        var hash = Fingerprint()
        for shard in files { hash.add(shard.path); hash.addBytes(shard.bytes) }
        let manifest = Manifest(
            version: formatVersion, build: String(hash.hex.prefix(16)), now: now.iso, dueSoonDays: dueSoonDays, documents: entries.count,
            terms: termPart.count, termShards: termShardKeys, typoShards: typoShardKeys, docShardSize: docShardSize,
            stopWords: SearchText.stopWords, typoMinimumLength: typoMinimumLength,
            processes: processes.map { Manifest.Labelled(key: $0.key, label: $0.title) },
            owners: owners, kinds: kinds.map { Manifest.Labelled(key: $0.rawValue, label: $0.label) },
            states: states.map { Manifest.Labelled(key: $0.rawValue, label: $0.label) })
        files.append(file("manifest", manifest))
        return files.sorted { $0.path < $1.path }
    }

    /// The index's terms (see `build`).
    private struct TermList {
        /// Terms in UTF-16 order, with their document counts and encoded postings.
        var terms: [String] = []
        var documents: [Int] = []
        var postings: [String] = []
        /// Indices into `terms` of the typo candidates, in `typoLess` order.
        var typos: [Int] = []
    }

    private struct TermPart {
        var files: [OutputFile] = []
        var termShardKeys: [String] = []
        var typoShardKeys: [String] = []
        var count = 0
    }

    /// The term and typo shards of the index's terms.
    private static func termShards(_ list: TermList, layout: Layout) -> TermPart {
        let (terms, documentCounts, postings, typoTerms) = (list.terms, list.documents, list.postings, list.typos)
        var part = TermPart(count: terms.count)
        // Term shards: ranges of the sorted term list, each term with its document count and postings, so that the
        // one file a word needs has all the word needs.
        var termRanges: [Range<Int>] = []
        var start = 0
        while start < terms.count {
            var end = start
            var bytes = 0
            while end < terms.count, end == start || bytes < layout.termShardBytes {
                bytes += terms[end].utf8.count + 4 + decimalLength(documentCounts[end]) + 1 + postings[end].utf8.count + 3
                end += 1
            }
            part.termShardKeys.append(start == 0 ? "" : separator(after: terms[start - 1], upTo: terms[start]))
            termRanges.append(start..<end)
            start = end
        }

        // Typo shards: the terms a misspelt word may mean, ordered by first character, then length, so that a word
        // of n characters needs only the terms of n - 1 to n + 1 characters that begin as it does.
        var typoRanges: [Range<Int>] = []
        start = 0
        while start < typoTerms.count {
            var end = start
            var bytes = 0
            while end < typoTerms.count, end == start || bytes < layout.typoShardBytes {
                bytes += terms[typoTerms[end]].utf8.count + 4 + decimalLength(documentCounts[typoTerms[end]])
                end += 1
            }
            part.typoShardKeys.append(start == 0 ? "" : terms[typoTerms[start]])
            typoRanges.append(start..<end)
            start = end
        }

        // The files' JSON: the term shards in two halves and the typo shards, side by side.
        let (middle, termShards, typoShards) = (termRanges.count / 2, termRanges, typoRanges)
        let written = ResultSlots<[OutputFile]>(count: 3)
        DispatchQueue.concurrentPerform(iterations: 3) { job in
            if job < 2 {
                written.store((job == 0 ? 0..<middle : middle..<termShards.count).map { number in
                    let range = termShards[number]
                    return file("terms-\(number)", json: TermShard(terms: Array(terms[range]), documents: Array(documentCounts[range]),
                                                                 postings: Array(postings[range])).json)
                }, at: job)
            } else {
                written.store(typoShards.enumerated().map { number, range in
                    let shard = typoTerms[range]
                    return file("typos-\(number)", json: TypoShard(terms: shard.map { terms[$0] }, documents: shard.map { documentCounts[$0] }).json)
                }, at: job)
            }
        }
        part.files = Array(written.collect().joined())
        return part
    }

    /// The number of digits of a count (as `String(count).count`, without making the string).
    static func decimalLength(_ value: Int) -> Int {
        var length = value < 0 ? 2 : 1, rest = abs(value)
        while rest >= 10 {
            rest /= 10
            length += 1
        }
        return length
    }

    // MARK: File shapes (README, "Search index format")

    struct Manifest: Encodable {
        /// A key with its label, written `[key, label]`, or `[key]` when the label is the key.
        struct Labelled: Encodable {
            let key: String
            let label: String

            func encode(to encoder: Encoder) throws {
                var container = encoder.unkeyedContainer()
                try container.encode(key)
                if label != key { try container.encode(label) }
            }
        }
        let version: Int
        let build: String
        let now: String
        let dueSoonDays: Int
        let documents: Int
        let terms: Int
        /// Per term shard, a key: a term `t` is in the last shard whose key ≤ `t` (UTF-16 order). The key is the
        /// shortest start of the shard's first term that sorts after the previous shard's last term; "" for the first.
        let termShards: [String]
        /// Per typo shard, its first term; "" for the first (order: `typoLess`).
        let typoShards: [String]
        let docShardSize: Int
        let stopWords: [String]
        let typoMinimumLength: Int
        let processes: [Labelled]
        let owners: [Labelled]
        let kinds: [Labelled]
        let states: [Labelled]
    }

    // The shard types stay Encodable: tests check that their hand-written `json` is what JSONEncoder writes.

    struct TermShard: Encodable {
        let terms: [String]
        /// How many documents contain each term (its posting count).
        let documents: [Int]
        /// Per term, its postings encoded by `encode(_:)`.
        let postings: [String]

        var json: [UInt8] {
            var out = JSONWriter(capacity: 10_000)
            out.raw("{\"documents\":")
            out.ints(documents)
            out.raw(",\"postings\":")
            out.strings(postings)
            out.raw(",\"terms\":")
            out.strings(terms)
            out.raw("}")
            return out.bytes
        }
    }

    struct TypoShard: Encodable {
        /// Terms in `typoLess` order.
        let terms: [String]
        let documents: [Int]

        var json: [UInt8] {
            var out = JSONWriter(capacity: 10_000)
            out.raw("{\"documents\":")
            out.ints(documents)
            out.raw(",\"terms\":")
            out.strings(terms)
            out.raw("}")
            return out.bytes
        }
    }

    struct DocumentRecord: Encodable {
        let id: String
        let title: String
        let url: String
        let kind: Int
        let process: Int?
        let owner: Int?
        let state: Int?
        let due: String?
        let status: String?
        let tags: [String]
        let text: [String]

        /// About a record's JSON size: its strings plus 100 bytes of keys, numbers and punctuation.
        static func estimatedBytes(id: String, title: String, url: String, tags: [String], text: [String]) -> Int {
            100 + id.utf8.count + title.utf8.count + url.utf8.count + tags.reduce(0) { $0 + $1.utf8.count + 3 }
                + text.reduce(0) { $0 + $1.utf8.count + 3 }
        }

        func encode(to encoder: Encoder) throws {
            // Absent values are `null`, never left out, so every record has the same keys.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(url, forKey: .url)
            try container.encode(kind, forKey: .kind)
            try container.encode(process, forKey: .process)
            try container.encode(owner, forKey: .owner)
            try container.encode(state, forKey: .state)
            try container.encode(due, forKey: .due)
            try container.encode(status, forKey: .status)
            try container.encode(tags, forKey: .tags)
            try container.encode(text, forKey: .text)
        }

        enum CodingKeys: String, CodingKey { case id, title, url, kind, process, owner, state, due, status, tags, text }

        /// The keys in sorted order, as `encode(to:)` gives them with sorted keys.
        func write(to out: inout JSONWriter) {
            out.raw("{\"due\":")
            out.string(due)
            out.raw(",\"id\":")
            out.string(id)
            out.raw(",\"kind\":")
            out.int(kind)
            out.raw(",\"owner\":")
            out.int(owner)
            out.raw(",\"process\":")
            out.int(process)
            out.raw(",\"state\":")
            out.int(state)
            out.raw(",\"status\":")
            out.string(status)
            out.raw(",\"tags\":")
            out.strings(tags)
            out.raw(",\"text\":")
            out.strings(text)
            out.raw(",\"title\":")
            out.string(title)
            out.raw(",\"url\":")
            out.string(url)
            out.raw("}")
        }
    }

    struct DocumentShard: Encodable {
        let docs: [DocumentRecord]

        var json: [UInt8] {
            var out = JSONWriter()
            out.raw("{\"docs\":")
            out.array(docs) { $1.write(to: &$0) }
            out.raw("}")
            return out.bytes
        }
    }

    struct Facets: Encodable {
        let process: [Int?]
        let owner: [Int?]
        let kind: [Int]
        let state: [Int?]
        /// Next review due, in days since 1970-01-01.
        let due: [Int?]

        var json: [UInt8] {
            var out = JSONWriter(capacity: kind.count * 16)
            out.raw("{\"due\":")
            out.ints(due)
            out.raw(",\"kind\":")
            out.ints(kind)
            out.raw(",\"owner\":")
            out.ints(owner)
            out.raw(",\"process\":")
            out.ints(process)
            out.raw(",\"state\":")
            out.ints(state)
            out.raw("}")
            return out.bytes
        }
    }

    // MARK: Encoding

    /// The base-64 digits of postings (URL-safe alphabet, so no character needs escaping in JSON).
    static let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Postings as text: per document, the gap from the previous document number minus one (the first: the number
    /// itself) as a base-64 VLQ (5 bits a digit, least significant first, 32 added while more digits follow), then
    /// the weight as one digit. `[(3, 12), (4, 1)]` → `DM` `AB` → `"DMAB"`.
    static func encode(_ postings: [(document: Int, weight: Int)]) -> String {
        encode(packed: postings.map { UInt32($0.document) << 6 | UInt32(min(Weight.maximum, max(1, $0.weight))) })
    }

    /// `encode(_:)` of postings packed as `PostingsTable` keeps them (document << 6 | weight, weight in 1...63).
    static func encode(packed postings: [UInt32]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(postings.count * 3)
        var previous = -1
        for posting in postings {
            let document = Int(posting >> 6)
            var gap = document - previous - 1
            previous = document
            repeat {
                var digit = gap & 31
                gap >>= 5
                if gap > 0 { digit |= 32 }
                out.append(digits[digit])
            } while gap > 0
            out.append(digits[Int(posting & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The shortest start of `next` (whole Unicode scalars) that sorts after `previous`, given `previous` < `next`: a
    /// shard key that still separates the two shards' terms, in fewer bytes than the whole term.
    static func separator(after previous: String, upTo next: String) -> String {
        var key = String.UnicodeScalarView()
        for scalar in next.unicodeScalars {
            key.append(scalar)
            if SearchText.utf16Less(previous, String(key)) { return String(key) }
        }
        return next
    }

    /// Terms that a misspelt query word may mean: four characters or more (a query word needs `typoMinimumLength`,
    /// one fewer with a letter missing) and no digit (the client allows no typo in a word with a digit).
    static func isTypoCandidate(_ term: String) -> Bool {
        term.unicodeScalars.count >= typoMinimumLength - 1 && !term.unicodeScalars.contains {
            switch $0.properties.generalCategory {
            case .decimalNumber, .letterNumber, .otherNumber: true
            default: false
            }
        }
    }

    /// What `typoLess` orders a term by, and whether it is a typo candidate; ASCII (most terms) read as bytes.
    static func typoKey(_ term: String) -> (first: UInt32, count: Int, candidate: Bool) {
        let utf8 = term.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            let count = utf8.count
            return (UInt32(utf8.first ?? 0), count, count >= typoMinimumLength - 1 && !utf8.contains { $0 >= 0x30 && $0 <= 0x39 })
        }
        return (term.unicodeScalars.first?.value ?? 0, term.unicodeScalars.count, isTypoCandidate(term))
    }

    /// The typo shards' order: by first character (Unicode scalar value), then length in characters, then UTF-16 order.
    static func typoLess(_ a: String, _ b: String) -> Bool {
        let firstA = a.unicodeScalars.first?.value ?? 0, firstB = b.unicodeScalars.first?.value ?? 0
        if firstA != firstB { return firstA < firstB }
        let countA = a.unicodeScalars.count, countB = b.unicodeScalars.count
        if countA != countB { return countA < countB }
        return SearchText.utf16Less(a, b)
    }

    /// `search/<name>.js`: the value as JSON inside `sopsiteSearchData("<name>", …);`. `JSONOutput` writes `<`, `>`,
    /// `&`, U+2028 and U+2029 as escapes, so no title can end the script or break an old JavaScript parser.
    static func file(_ name: String, _ value: some Encodable) -> OutputFile {
        var json = JSONOutput.encode(value)
        if json.last == 0x0A { json.removeLast() }
        return file(name, json: json)
    }

    /// `search/<name>.js` around JSON already written (by `JSONWriter`).
    static func file(_ name: String, json: [UInt8]) -> OutputFile {
        OutputFile(path: "search/\(name).js", bytes: Array("sopsiteSearchData(\"\(name)\",".utf8) + json + Array(");\n".utf8))
    }

}

/// Distinct terms (UTF-8 bytes) in the order first added, found by an open-addressing table over one byte arena: an
/// index of 2,000 SOPs meets 500,000 (page, term) pairs for 12,000 terms, and its entries a million term occurrences,
/// where a dictionary keyed by strings made a string and a SipHash for each (most of indexing).
struct TermTable {
    private var arena: [UInt8] = []
    private var ranges: [Range<Int>] = []
    private var hashes: [UInt64] = []
    /// Term index + 1 per slot; 0 is empty. Kept at most half full.
    private var slots = [Int32](repeating: 0, count: 1 << 9)

    var count: Int { ranges.count }

    /// `ByteHash.hash`: the slot is its low bits.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { ByteHash.hash(bytes) }

    /// The index of the term `bytes` (not empty), added when new; `hash` is `hash(bytes)`.
    mutating func index(of bytes: UnsafeBufferPointer<UInt8>, hash: UInt64? = nil) -> (index: Int, added: Bool) {
        let hash = hash ?? Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if hashes[index] == hash, holds(index, bytes) { return (index, false) }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(ranges.count + 1)
        let start = arena.count
        arena.append(contentsOf: bytes)
        ranges.append(start..<arena.count)
        hashes.append(hash)
        if ranges.count * 2 > slots.count { grow() }
        return (ranges.count - 1, true)
    }

    private func holds(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = ranges[index]
        guard range.count == bytes.count, let other = bytes.baseAddress else { return false }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + range.lowerBound, other, range.count) == 0 }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
    }

    /// Each term in the order added: its index, bytes and hash.
    func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>, UInt64) -> Void) {
        arena.withUnsafeBufferPointer { arena in
            for (index, range) in ranges.enumerated() { body(index, UnsafeBufferPointer(rebasing: arena[range]), hashes[index]) }
        }
    }

    func term(at index: Int) -> String {
        String(decoding: arena[ranges[index]], as: UTF8.self)
    }

    /// Every term in the order added, joined by `separator`.
    func packed(separator: UInt8) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(arena.count + ranges.count)
        for (index, range) in ranges.enumerated() {
            if index > 0 { out.append(separator) }
            out.append(contentsOf: arena[range])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Term indices with the terms in UTF-16 order (`SearchText.utf16Less`).
    func utf16Order() -> [Int] {
        arena.withUnsafeBufferPointer { arena in
            ranges.indices.sorted { a, b in
                SearchText.utf16Less(UnsafeBufferPointer(rebasing: arena[ranges[a]]), UnsafeBufferPointer(rebasing: arena[ranges[b]]))
            }
        }
    }
}

/// The distinct terms of many pages (`TermTable`) with each term's postings, each packed in 32 bits (document << 6 |
/// weight): an index of 2,000 SOPs holds 600,000 postings, and arrays of (Int, Int) pairs grew four times the bytes.
struct PostingsTable {
    private(set) var terms = TermTable()
    /// Per term (in the order first added): its postings in the order added.
    private(set) var packed: [[UInt32]] = []

    /// Records that `document` holds the term `bytes` (not empty; `hash` is `TermTable.hash(bytes)`) with `weight`
    /// (clamped to 1...63, as postings are written).
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, document: Int, weight: Int) {
        let (index, added) = terms.index(of: bytes, hash: hash)
        let posting = UInt32(document) << 6 | UInt32(min(SearchIndex.Weight.maximum, max(1, weight)))
        if added {
            packed.append([posting])
        } else {
            packed[index].append(posting)
        }
    }

    /// Adds the postings of `later`, whose documents all come after this table's (both ascending).
    mutating func append(_ later: PostingsTable) {
        later.terms.forEach { index, bytes, hash in
            let (at, added) = terms.index(of: bytes, hash: hash)
            if added { packed.append(later.packed[index]) } else { packed[at] += later.packed[index] }
        }
    }
}
