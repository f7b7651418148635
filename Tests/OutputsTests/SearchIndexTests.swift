import Documents
import Foundation
import History
@testable import Outputs
import SiteModel
import SOPCore
import Testing

/// The index builder: file shapes, field weights, sharding, determinism and escaping. Ranking, which the client does,
/// is tested in a real browser against the sample knowledge base (Tests/browser/test_search.py).
@Suite struct SearchIndexTests {
    /// A site from Markdown files (paths under `content/`), without history.
    func site(_ files: [String: String], owners: Owners = Owners()) -> Site {
        let documents = DocumentLoader(contentRoot: RepoPath("content"))
            .load(files.sorted { $0.key < $1.key }.map { SourceFile(path: RepoPath("content/" + $0.key), bytes: Array($0.value.utf8)) })
        var options = Site.Options()
        options.owners = owners
        return Site.assemble(documents: documents.value, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                             config: SiteConfig(), now: Day(2025, 6, 1), options: options).value
    }

    /// The rendered site's index files, by name (`manifest`, `terms-0`, …), each decoded from its JSON.
    func index(_ site: Site) async throws -> Index {
        let files = try await SiteRenderer(theme: .builtIn).render(site).value
        return try Index(files.filter { $0.path.hasPrefix("search/") && $0.path.hasSuffix(".js") })
    }

    struct Index {
        var files: [String: [String: Any]] = [:]
        var raw: [String: [UInt8]] = [:]

        init(_ outputs: [OutputFile]) throws {
            for output in outputs {
                let text = String(decoding: output.bytes, as: UTF8.self)
                let name = String(output.path.dropFirst("search/".count).dropLast(".js".count))
                let prefix = "sopsiteSearchData(\"\(name)\","
                try #require(text.hasPrefix(prefix) && text.hasSuffix(");\n"), "\(output.path) is not a sopsiteSearchData call")
                let json = Data(text.dropFirst(prefix.count).dropLast(3).utf8)
                files[name] = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any], "\(output.path)")
                raw[name] = output.bytes
            }
        }

        var manifest: [String: Any] { files["manifest"] ?? [:] }

        /// Every term with its postings as (document id, weight), from the term shards.
        func postings() throws -> [String: [(id: String, weight: Int)]] {
            let shardCount = (manifest["termShards"] as? [String])?.count ?? 0
            let ids = documents().map { $0["id"] as? String ?? "" }
            var result: [String: [(id: String, weight: Int)]] = [:]
            for shard in 0..<shardCount {
                let terms = files["terms-\(shard)"]?["terms"] as? [String] ?? []
                let encoded = files["terms-\(shard)"]?["postings"] as? [String] ?? []
                let counts = files["terms-\(shard)"]?["documents"] as? [Int] ?? []
                try #require(terms.count == encoded.count && terms.count == counts.count)
                for (term, (text, count)) in zip(terms, zip(encoded, counts)) {
                    let list = try SearchIndexTests.decode(text)
                    try #require(list.count == count, "document count of \(term)")
                    result[term] = list.map { (ids[$0.document], $0.weight) }
                }
            }
            return result
        }

        /// Document records in document-number order.
        func documents() -> [[String: Any]] {
            let count = manifest["documents"] as? Int ?? 0
            let size = manifest["docShardSize"] as? Int ?? 1
            return (0..<((count + size - 1) / size)).flatMap { files["docs-\($0)"]?["docs"] as? [[String: Any]] ?? [] }
        }

        func weight(of term: String, in id: String) throws -> Int? {
            try postings()[term]?.first { $0.id == id }?.weight
        }
    }

    /// Decodes postings as the client does (README, "Search index format").
    static func decode(_ text: String) throws -> [(document: Int, weight: Int)] {
        let value = Dictionary(uniqueKeysWithValues: SearchIndex.digits.enumerated().map { ($0.element, $0.offset) })
        var result: [(Int, Int)] = []
        var bytes = Array(text.utf8)[...]
        var previous = -1
        while !bytes.isEmpty {
            var gap = 0
            var shift = 0
            while true {
                let digit = try #require(value[bytes.removeFirst()])
                gap += (digit & 31) << shift
                shift += 5
                if digit & 32 == 0 { break }
            }
            previous += gap + 1
            result.append((previous, try #require(value[bytes.removeFirst()])))
        }
        return result
    }

    /// An owners file naming one owner.
    func dana() -> Owners {
        Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array("dana:\n  name: Dana Whitfield\n".utf8))).value
    }

    func sop(id: String?, title: String, owner: String = "dana", tags: String = "[]", body: String) -> String {
        "---\n" + (id.map { "id: \($0)\n" } ?? "") + "title: \(title)\nowner: \(owner)\ntags: \(tags)\n---\n" + body
    }

    @Test("each index file is one sopsiteSearchData call around sorted-key JSON; the manifest names version 3")
    func fileShapes() async throws {
        let index = try await index(site(["support/refund.md": sop(id: "SOP-CS-001", title: "Refund", body: "## Steps\n\n1. Pay back.\n")]))
        #expect(Set(index.files.keys) == ["manifest", "terms-0", "typos-0", "docs-0", "facets"])
        #expect(index.manifest["version"] as? Int == SearchIndex.formatVersion)
        #expect(index.manifest["documents"] as? Int == 2)   // the SOP and its process page
        let manifest = String(decoding: try #require(index.raw["manifest"]), as: UTF8.self)
        #expect(manifest.contains("{\"build\":"))   // keys sorted: build first
        let record = try #require(index.documents().first { $0["id"] as? String == "SOP-CS-001" })
        #expect(record["url"] as? String == "support/refund/")
        #expect(record["status"] is NSNull)
    }

    @Test("the exact SOP id outweighs the title, which outweighs a heading, which outweighs the body")
    func fieldWeights() async throws {
        let index = try await index(site([
            "a/id.md": sop(id: "VALVE-7", title: "Check pumps", body: "Pumps only.\n"),
            "a/title.md": sop(id: "SOP-2", title: "Replace a valve", body: "Parts.\n"),
            "a/heading.md": sop(id: "SOP-3", title: "Service the boiler", body: "## Valve\n\nTurn it.\n"),
            "a/body.md": sop(id: "SOP-4", title: "Bleed radiators", body: "Open the valve.\n"),
        ]))
        let id = try #require(try index.weight(of: "valve-7", in: "VALVE-7"))
        let title = try #require(try index.weight(of: "valve", in: "SOP-2"))
        let heading = try #require(try index.weight(of: "valve", in: "SOP-3"))
        let body = try #require(try index.weight(of: "valve", in: "SOP-4"))
        #expect(id > title && title > heading && heading > body)
        #expect(id == SearchIndex.Weight.exactID)
        #expect(try index.weight(of: "valve", in: "VALVE-7") == SearchIndex.Weight.idPart)
    }

    @Test("a path-derived id and a process key are found, but not as exact SOP ids")
    func derivedIDs() async throws {
        let index = try await index(site([
            "support/_process.md": "---\ntitle: Help desk\n---\nWhy.\n",
            "support/close-ticket.md": "# Close a ticket\n\nClose it.\n",
        ]))
        #expect(try index.weight(of: "support/close-ticket", in: "support/close-ticket") == SearchIndex.Weight.idPart)
        #expect(try index.weight(of: "support", in: "support") == SearchIndex.Weight.idPart)
    }

    @Test("a shorter title weighs each of its words more")
    func titleLength() async throws {
        let index = try await index(site([
            "a/one.md": sop(id: "SOP-1", title: "Customer refund", body: "x\n"),
            "a/two.md": sop(id: "SOP-2", title: "Calculate and issue a partial refund for trade orders", body: "x\n"),
        ]))
        #expect(try #require(try index.weight(of: "refund", in: "SOP-1")) > #require(try index.weight(of: "refund", in: "SOP-2")))
    }

    @Test("tags, steps, scope, owner names and plural forms are indexed")
    func otherFields() async throws {
        let owners = dana()
        let index = try await index(site([
            "a/one.md": "---\nid: SOP-1\ntitle: Close tickets\nowner: dana\ntags: [zendesk]\nscope: Stale requests only.\n---\n"
                + "## Steps\n\n1. Open the [queue](https://example.com/queue).\n2) Close them.\n",
        ], owners: owners))
        let postings = try index.postings()
        #expect(try index.weight(of: "zendesk", in: "SOP-1") == SearchIndex.Weight.tag)
        #expect(try index.weight(of: "whitfield", in: "SOP-1") == SearchIndex.Weight.owner)
        #expect(try index.weight(of: "queue", in: "SOP-1") == SearchIndex.Weight.step + 1)   // step, and once in the body
        #expect(try index.weight(of: "stale", in: "SOP-1") == SearchIndex.Weight.scope)
        #expect(postings["ticket"] != nil && postings["tickets"] == nil)
        #expect(postings["example.com/queue"] == nil)   // a link target is not text
        // [key, label], the label left out when it is the key
        #expect((index.manifest["owners"] as? [[String]]) == [["dana", "Dana Whitfield"]])
        #expect((index.manifest["kinds"] as? [[String]])?.first == ["procedure", "Procedure"])
    }

    @Test("steps are ordered-list items, link targets removed")
    func steps() {
        #expect(SearchIndex.Entry.steps(inMarkdown: "Intro 1. no\n1. Open [it](a.md).\n   2) Close.\n- not a step\n1234. no\n")
                == ["Open [it].", "Close."])
    }

    @Test("passages: the scope first, headings left out, each cut at a word with an ellipsis")
    func passages() {
        var layout = SearchIndex.Layout()
        layout.passageLength = 20
        let passages = SearchIndex.Entry.passages(scope: "Refunds for web orders only", plainText: "Steps\nOpen the order in the admin panel\nok\n",
                                                  headings: ["Steps"], layout: layout)
        #expect(passages == ["Refunds for web…", "Open the order in…"])
    }

    @Test("postings are base-64 VLQ gaps, each followed by a one-digit weight")
    func postingEncoding() throws {
        #expect(SearchIndex.encode([(3, 12), (4, 1)]) == "DMAB")
        #expect(SearchIndex.encode([(40, 5)]) == "oBF")   // gap 40 needs two digits: 8 + 32, then 1
        let list = (0..<500).map { ($0 * 37 % 1000, 1 + $0 % 63) }.sorted { $0.0 < $1.0 }
        #expect(try Self.decode(SearchIndex.encode(list)).map { [$0.document, $0.weight] } == list.map { [$0.0, $0.1] })
    }

    @Test("small shards: terms and documents split, and every term is in the shard whose key the manifest names")
    func sharding() throws {
        let entries = (0..<40).map { number in
            SearchIndex.Entry(id: "SOP-\(1000 + number)", hasOwnID: true, title: "Procedure \(number) for word\(number)", url: "p/\(number)/",
                              kind: .procedure, processKey: "p", processTitle: "P", owner: nil, tags: [], scope: nil, state: .current,
                              due: Day(2026, 1, 1), lifecycle: nil, headings: [], steps: [], plainText: "Shared text about valves.",
                              layout: .standard)
        }
        var layout = SearchIndex.Layout()
        layout.termShardBytes = 200
        layout.docShardBytes = 800
        let index = try Index(SearchIndex.build(entries: entries, processes: [("p", "P")], now: Day(2025, 1, 1), dueSoonDays: 30, layout: layout))
        let keys = try #require(index.manifest["termShards"] as? [String])
        #expect(keys.count > 3)
        #expect(index.documents().count == 40)
        #expect(index.files.keys.filter { $0.hasPrefix("docs-") }.count > 3)
        // Keys ascend; each shard holds exactly the terms from its key to the next shard's key.
        #expect(keys == keys.sorted(by: SearchText.utf16Less) && keys.first == "")
        for (number, key) in keys.enumerated() {
            let terms = try #require(index.files["terms-\(number)"]?["terms"] as? [String])
            #expect(!terms.isEmpty && terms.allSatisfy { !SearchText.utf16Less($0, key) })
            if number + 1 < keys.count { #expect(terms.allSatisfy { SearchText.utf16Less($0, keys[number + 1]) }) }
            // a key is the shortest start of the shard's first term that still sorts after the previous shard's terms
            if number > 0 { #expect(terms[0].hasPrefix(key)) }
        }
        #expect(keys.contains { !$0.isEmpty && $0.count < 4 })
        let postings = try index.postings()
        #expect(postings["valve"]?.count == 40)
        #expect(postings["word7"]?.map(\.id) == ["SOP-1007"])
    }

    @Test("a shard key is the shortest start of the next term that sorts after the previous one")
    func shardKeys() {
        #expect(SearchIndex.separator(after: "chg-1466", upTo: "chg-2639") == "chg-2")
        #expect(SearchIndex.separator(after: "call", upTo: "chg-1") == "ch")
        #expect(SearchIndex.separator(after: "valve", upTo: "valves") == "valves")
        #expect(SearchIndex.separator(after: "a", upTo: "é") == "é")
    }

    @Test("typo shards: terms without digits of four characters or more, by first character, then length, then term")
    func typoShards() throws {
        let entries = (0..<60).map { number in
            SearchIndex.Entry(id: "SOP-\(1000 + number)", hasOwnID: true, title: "Valve \(["check", "chock", "shock", "checks", "cheque"][number % 5])",
                              url: "p/\(number)/", kind: .procedure, processKey: nil, processTitle: nil, owner: nil, tags: [],
                              scope: nil, state: nil, due: nil, lifecycle: nil, headings: [], steps: [],
                              plainText: "Part v\(number) of the réseau, zone \(number % 3).", layout: .standard)
        }
        var layout = SearchIndex.Layout()
        layout.typoShardBytes = 30
        let index = try Index(SearchIndex.build(entries: entries, processes: [], now: Day(2025, 1, 1), dueSoonDays: 30, layout: layout))
        let keys = try #require(index.manifest["typoShards"] as? [String])
        #expect(keys.count > 2 && keys.first == "")
        var terms: [String] = []
        var counts: [Int] = []
        for number in keys.indices {
            let shard = try #require(index.files["typos-\(number)"])
            let shardTerms = try #require(shard["terms"] as? [String])
            if number > 0 { #expect(shardTerms.first == keys[number]) }
            terms += shardTerms
            counts += try #require(shard["documents"] as? [Int])
        }
        #expect(terms == ["check", "chock", "cheque", "part", "reseau", "shock", "valve", "zone"])
        #expect(terms.sorted(by: SearchIndex.typoLess) == terms)
        let postings = try index.postings()
        #expect(counts == terms.map { postings[$0]?.count ?? -1 })
    }

    @Test("typo keys read on bytes agree with the scalar definitions", arguments: ["check", "réseau", "a1b2", "x", "ab", "abc", "日本語", "two٣", "Ⅻabc", "😀abc", ""])
    func typoKeys(term: String) {
        let key = SearchIndex.typoKey(term)
        #expect(key.first == (term.unicodeScalars.first?.value ?? 0))
        #expect(key.count == term.unicodeScalars.count)
        #expect(key.candidate == SearchIndex.isTypoCandidate(term))
    }

    @Test("the same entries in any order give byte-identical files")
    func deterministic() throws {
        let entries = (0..<30).map { number in
            SearchIndex.Entry(id: "SOP-\(number)", hasOwnID: true, title: "Title \(number % 7)", url: "p/\(number)/", kind: .procedure,
                              processKey: nil, processTitle: nil, owner: ("o\(number % 3)", "Owner \(number % 3)"), tags: ["t\(number % 4)"],
                              scope: nil, state: nil, due: nil, lifecycle: nil, headings: ["H \(number % 5)"], steps: [],
                              plainText: "Body \(number % 11) text", layout: .standard)
        }
        let first = SearchIndex.build(entries: entries, processes: [], now: Day(2025, 1, 1), dueSoonDays: 30, layout: .standard)
        var generator = SystemRandomNumberGenerator()
        let second = SearchIndex.build(entries: entries.shuffled(using: &generator), processes: [], now: Day(2025, 1, 1),
                                       dueSoonDays: 30, layout: .standard)
        #expect(first == second)
    }

    @Test("quotes, backslashes, </script> and U+2028 in titles survive as valid JSON inside valid JavaScript")
    func escaping() async throws {
        // YAML's \L is U+2028 (a raw one would be a line break in YAML).
        let title = "Say \\\"stop\\\" </script><script>alert(1)</script> \\Lnow"
        let index = try await index(site(["a/x.md": "---\nid: SOP-1\ntitle: \"\(title)\"\n---\nBody.\n"]))
        let record = try #require(index.documents().first { $0["id"] as? String == "SOP-1" })
        #expect(record["title"] as? String == "Say \"stop\" </script><script>alert(1)</script> \u{2028}now")
        for (name, bytes) in index.raw {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.contains("\u{2028}") && !text.contains("</script>"), "\(name) has a raw U+2028 or </script>")
        }
    }

    @Test("obsolete documents weigh half and say so; facets hold each document's process, owner, state and due day")
    func lifecycleAndFacets() async throws {
        let index = try await index(site([
            "a/old.md": "---\nid: SOP-1\ntitle: Valve check\nstatus: retired\n---\nValve.\n",
            "a/new.md": "---\nid: SOP-2\ntitle: Valve check\nowner: dana\n---\nValve.\n",
        ]))
        let old = try #require(try index.weight(of: "valve", in: "SOP-1"))
        let new = try #require(try index.weight(of: "valve", in: "SOP-2"))
        #expect(old == new / 2)
        #expect(index.documents().first { $0["id"] as? String == "SOP-1" }?["status"] as? String == "retired")
        let facets = try #require(index.files["facets"])
        let ids = index.documents().map { $0["id"] as? String ?? "" }
        #expect(ids == ["SOP-1", "SOP-2", "a"])
        #expect((facets["kind"] as? [Int]) == [0, 0, 2])
        #expect((facets["owner"] as? [Any])?.map { $0 as? Int } == [nil, 0, nil])
        #expect((facets["process"] as? [Any])?.map { $0 as? Int } == [0, 0, 0])
    }

    @Test("the search page lists every SOP with its id, process, owner name and review state")
    func searchPage() async throws {
        let owners = dana()
        let site = site(["support/_process.md": "---\ntitle: Customer support\n---\nWhy.\n",
                         "support/refund.md": sop(id: "SOP-CS-001", title: "Refund <fast>", body: "x\n")], owners: owners)
        let listing = SiteRenderer(theme: .builtIn).searchPageListing(site)
        let row = try #require(listing.pages.first)
        #expect(listing.pages.count == 1)
        #expect((row.id, row.process, row.owner, row.url) == ("SOP-CS-001", "Customer support", "Dana Whitfield", "../support/refund/"))
        // Templates read views through child(named:), not reflection: every stored property must be answered (an
        // empty text as absent, so that a section on it is skipped: a procedure's row has no kind label).
        for view in [listing as any TemplateView, row as any TemplateView] {
            let missing = Mirror(reflecting: view).children.filter { ($0.value as? String)?.isEmpty != true }.compactMap(\.label)
                .filter { view.child(named: $0) == nil }
            #expect(missing.isEmpty, "\(type(of: view)) does not answer \(missing)")
        }
        let files = try await SiteRenderer(theme: .builtIn).render(site).value
        let html = String(decoding: try #require(files.first { $0.path == "search/index.html" }).bytes, as: UTF8.self)
        #expect(html.contains("Refund &lt;fast&gt;"))
        #expect(row.kind.isEmpty && row.child(named: "kind") == nil && !html.contains("<span class=\"kind\"></span>"))
        #expect(html.contains("<td>Customer support</td>"))
    }

    @Test("the sample knowledge base: every SOP with an id of its own weighs most for its exact id")
    func sampleKnowledgeBase() async throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let manager = FileManager.default
        var sources: [SourceFile] = []
        var owners = Owners()
        for path in try manager.subpathsOfDirectory(atPath: root + "/content").sorted() where path.hasSuffix(".md") || path == "owners.yml" {
            let data = try #require(manager.contents(atPath: root + "/content/" + path))
            if path == "owners.yml" {
                owners = Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array(data))).value
            } else {
                sources.append(SourceFile(path: RepoPath("content/" + path), bytes: Array(data)))
            }
        }
        let documents = DocumentLoader(contentRoot: RepoPath("content")).load(sources).value
        var options = Site.Options()
        options.owners = owners
        let site = Site.assemble(documents: documents, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                                 config: SiteConfig(), now: Day(2025, 6, 1), options: options).value
        let index = try await index(site)
        let postings = try index.postings()
        #expect(index.manifest["documents"] as? Int == site.pages.count + site.processes.count)
        #expect(site.pages.count > 20)
        for page in site.pages where page.document.id != page.document.contentPath {
            let term = SearchText.fold(page.document.id)
            let top = try #require(postings[term]?.max { $0.weight < $1.weight }, "no term \(term)")
            // Retired and superseded documents weigh half.
            #expect(top.id == page.document.id && top.weight >= SearchIndex.Weight.exactID / (page.isObsolete ? 2 : 1), "\(term)")
        }
    }
}

/// The shards' JSON is written by hand for speed; it must be exactly what JSONEncoder (through `JSONOutput`) writes.
@Suite struct SearchShardJSONTests {
    /// Strings with every kind of character JSON or embedding escapes, and some that need none.
    let nasty = ["", "plain", "quote \" and \\ backslash", "tab\there\nnew line\r\u{8}\u{C}", "\u{0}\u{1}\u{1F}\u{7F}",
                 "</script><b>&amp;", "line\u{2028}para\u{2029}end", "café ☕ 😀 e\u{301}", "/slash/", "\u{E2}\u{80}", "€ – —"]

    @Test("hand-written shard JSON equals JSONEncoder's, escapes included")
    func sameAsEncoder() {
        let records = nasty.indices.map { index in
            SearchIndex.DocumentRecord(id: nasty[index], title: nasty[(index + 1) % nasty.count], url: nasty[(index + 2) % nasty.count],
                                       kind: index % 3, process: index % 2 == 0 ? index : nil, owner: index % 3 == 0 ? nil : 123_456,
                                       state: index % 4 == 0 ? nil : -1, due: index % 2 == 0 ? nil : nasty[index],
                                       status: index % 5 == 0 ? "retired" : nil, tags: Array(nasty.prefix(index)), text: Array(nasty.suffix(index)))
        }
        #expect(SearchIndex.DocumentShard(docs: records).json + [0x0A] == JSONOutput.encode(SearchIndex.DocumentShard(docs: records)))
        #expect(SearchIndex.DocumentShard(docs: []).json + [0x0A] == JSONOutput.encode(SearchIndex.DocumentShard(docs: [])))
        let terms = SearchIndex.TermShard(terms: nasty, documents: nasty.indices.map { $0 * 1_000 - 3 }, postings: nasty.reversed())
        #expect(terms.json + [0x0A] == JSONOutput.encode(terms))
        let typos = SearchIndex.TypoShard(terms: nasty, documents: nasty.indices.map { $0 })
        #expect(typos.json + [0x0A] == JSONOutput.encode(typos))
        let facets = SearchIndex.Facets(process: [0, nil, 12], owner: [nil, nil, 1], kind: [0, 1, 2], state: [3, nil, 0], due: [20_000, nil, -5])
        #expect(facets.json + [0x0A] == JSONOutput.encode(facets))
    }
}

/// Steps and passages are read on bytes for speed; they must be what reading by characters gave (the reference
/// implementations below are the earlier code), on text full of the characters where bytes and characters differ.
@Suite struct SearchTextBytesTests {
    static let pieces = ["1", "2", "12", "1234", ".", ")", " ", "\t", "\n", "\r", "\r\n", "\u{2028}", "\u{85}", "\u{0B}", "\u{301}",
                         "é", "e\u{301}", "[", "]", "(", "](", "x", "Step", "—", "…", "  ", "a b", "😀", "\u{2029}",
                         "\n1. ", "\n2) ", "\n 3. ", "\n10. "]

    func randomText(_ generator: inout some RandomNumberGenerator, pieces count: Int) -> String {
        (0..<count).map { _ in Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &generator)] }.joined()
    }

    static func referencePassages(scope: String?, plainText: String, headings: [String], layout: SearchIndex.Layout) -> [String] {
        let headingSet = Set(headings)
        var passages: [String] = []
        var used = 0
        for block in [scope ?? ""] + plainText.split(whereSeparator: \.isNewline).map(String.init) {
            let text = block.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            guard text.count >= 12, !headingSet.contains(text), !passages.contains(text) else { continue }
            let cut = SearchIndex.Entry.cut(text, to: layout.passageLength)
            passages.append(cut)
            used += cut.count
            if used >= layout.passageBudget { break }
        }
        return passages
    }

    static func referenceRemovingLinkTargets(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "](") {
            out += rest[..<open.lowerBound] + "]"
            rest = rest[open.upperBound...]
            if let close = rest.firstIndex(of: ")") { rest = rest[rest.index(after: close)...] }
        }
        return out + rest
    }

    @Test("lines, steps, passages and link targets on bytes equal the character-by-character reference on 4,000 random texts")
    func sameAsCharacters() {
        var generator = SystemRandomNumberGenerator()
        var layout = SearchIndex.Layout()
        layout.passageLength = 20
        layout.passageBudget = 60
        var stepsSeen = 0
        for round in 0..<4_000 {
            let text = randomText(&generator, pieces: Int.random(in: 0...60, using: &generator))
            #expect(Array(SearchIndex.Entry.lines(of: text)) == text.split(whereSeparator: \.isNewline), "\(Array(text.unicodeScalars))")
            let steps = SearchIndex.Entry.steps(inMarkdown: text)
            #expect(steps == SearchIndex.Entry.characterSteps(text), "\(Array(text.unicodeScalars))")
            stepsSeen += steps.count
            let ascii = String(text.unicodeScalars.filter(\.isASCII))
            #expect(SearchIndex.Entry.removingLinkTargets(ascii) == Self.referenceRemovingLinkTargets(ascii))
            #expect(SearchIndex.Entry.removingLinkTargets(text) == Self.referenceRemovingLinkTargets(text))
            let scope = round % 3 == 0 ? nil : randomText(&generator, pieces: 8)
            for body in [text, ascii] {
                #expect(SearchIndex.Entry.passages(scope: scope, plainText: body, headings: ["Step x"], layout: layout)
                        == Self.referencePassages(scope: scope, plainText: body, headings: ["Step x"], layout: layout), "\(Array(body.unicodeScalars))")
            }
        }
        #expect(stepsSeen > 100, "the random texts hold steps")
        // Lines a byte reader could misjudge: a combining mark after the space, after the marker, after a digit.
        #expect(SearchIndex.Entry.steps(inMarkdown: "1. \u{301}x\n2.\u{301} y\n3\u{301}. z\n 4. [a](b) c\r\n5) é") == ["[a] c", "é"])
    }
}
