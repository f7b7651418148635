import Foundation
import GFM
import SOPCore
import Yams

/// Turns the Markdown files of the content folder into validated `Document`s, reporting every problem it finds
/// (with file and line) instead of stopping at the first; a file with an error is left out of the result.
public struct DocumentLoader: Sendable {
    /// The content folder, repository-relative ("" for the repository root).
    public let contentRoot: RepoPath
    private let markdown = MarkdownRenderer()

    public init(contentRoot: RepoPath) {
        self.contentRoot = contentRoot
    }

    /// Front-matter keys sopsite reads; anything else is a warning (a typo would silently do nothing).
    public static let knownKeys: Set<String> = [
        "id", "title", "type", "process", "owner", "criticality", "review_interval", "scope", "tags", "status",
        "effective_date", "supersedes", "last_reviewed", "last_reviewed_on", "review_in", "start", "end", "stakeholders",
        "outcome", "order", "parent", "revision_offset", "description", "summary",
    ]

    /// File names that make a folder's process page.
    public static let processFileNames: Set<String> = ["_process.md", "index.md"]

    /// Loads `files` (Markdown files under the content folder, any order).
    /// - Returns: documents sorted by path, and diagnostics sorted by location.
    public func load(_ files: [SourceFile]) -> Diagnosed<[Document]> {
        var documents: [Document] = []
        var diagnostics: [Diagnostic] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            let result = load(file)
            diagnostics += result.diagnostics
            if let document = result.value, !result.hasErrors { documents.append(document) }
        }
        return Diagnosed(documents, diagnostics: diagnostics.sorted())
    }

    /// `load(_:)` on all processors: chunks of files loaded in parallel, results in path order as `load` gives them.
    public func loadConcurrently(_ files: [SourceFile]) async -> Diagnosed<[Document]> {
        let sorted = files.sorted { $0.path < $1.path }
        // Chunks of at least 64 files: loading one takes well under a millisecond.
        let results = await ParallelChunks.map(sorted, maxChunks: max(1, min(sorted.count / 64, ProcessInfo.processInfo.activeProcessorCount * 2))) {
            self.load(Array($0))
        }
        return Diagnosed(results.flatMap(\.value), diagnostics: results.flatMap(\.diagnostics).sorted())
    }

    /// Loads one file; `value` is nil when the file cannot be used.
    public func load(_ file: SourceFile) -> Diagnosed<Document?> {
        var problems: [Diagnostic] = []
        let path = file.path
        func fail(_ code: String, _ message: String, line: Int? = 1, fix: String? = nil) -> Diagnosed<Document?> {
            Diagnosed(nil, diagnostics: problems + [.error(code, message, at: SourceLocation(path, line: line), fix: fix)])
        }

        if file.bytes.starts(with: [0xFF, 0xFE]) || file.bytes.starts(with: [0xFE, 0xFF]) {
            // Windows editors save "Unicode" as UTF-16 with a byte-order mark; its NUL bytes would otherwise read as binary.
            return fail("source.encoding", "the file is UTF-16 text, not UTF-8", fix: "save it as UTF-8 (most editors: \"Save with encoding\")")
        }
        // memchr: a generic `contains` over 20 MB costs a second in a debug build.
        if file.bytes.withUnsafeBufferPointer({ $0.baseAddress.map { memchr($0, 0, file.bytes.count) != nil } ?? false }) {
            return fail("source.binary", "this .md file holds binary data (NUL bytes), not Markdown text",
                        fix: "rename it if it is not a document, or save it as UTF-8 text")
        }
        guard let decoded = String(validating: file.bytes, as: UTF8.self) else {
            let line = Self.lineOfFirstInvalidByte(file.bytes)
            return fail("source.encoding", "the file is not valid UTF-8", line: line,
                        fix: "save it as UTF-8 (most editors: \"Save with encoding\")")
        }
        let text = FrontMatterSplit.normalise(decoded)
        let split: FrontMatterSplit
        do {
            split = try FrontMatterSplit.split(text)
        } catch {
            return fail("front-matter.unclosed", "the front matter opened on line 1 is never closed",
                        fix: "add a line with just --- after the last front-matter line")
        }

        var fields = FrontMatterFields(path: path, firstLine: split.yamlFirstLine)
        if let yaml = split.yaml {
            do {
                try fields.parse(yaml)
            } catch {
                return fail(error.code, error.message, line: error.line, fix: error.fix)
            }
        }
        for key in fields.keys.sorted() where !Self.knownKeys.contains(key) {
            let suggestion = Self.closest(to: key, in: Self.knownKeys).map { "did you mean \"\($0)\"?" }
            problems.append(.warning("front-matter.unknown-key", "unknown front-matter key \"\(key)\"; sopsite ignores it",
                                     at: SourceLocation(path, line: fields.lines[key]), fix: suggestion))
        }

        // An id and a process name become URL path segments: one without a letter or digit (`..`, `./.`) or a process
        // with such a `/`-separated part (`../../tmp`) would name a folder outside the site.
        if let id = fields.string("id"), !Self.hasLetterOrDigit(id) {
            problems.append(.error("front-matter.id", "id \"\(id)\" has no letter or digit",
                                   at: SourceLocation(path, line: fields.lines["id"]), fix: "write an id such as SOP-CS-001"))
        }
        if let process = fields.string("process"), !process.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(Self.hasLetterOrDigit) {
            problems.append(.error("front-matter.process", "process \"\(process)\" is not the name of a process",
                                   at: SourceLocation(path, line: fields.lines["process"]),
                                   fix: "write the process's folder name or title, e.g. customer-support"))
        }

        let relative = path.relative(to: contentRoot) ?? path.value
        let folders = relative.split(separator: "/").dropLast().map(String.init)
        let isProcessFile = Self.processFileNames.contains(path.fileName.lowercased()) && folders.count == 1
        var contentPath = String(relative.dropLast(path.fileName.count - path.baseName.count))
        if contentPath.hasSuffix(".") { contentPath.removeLast() }

        let kindText = fields.string("type")
        var kind: DocumentKind = isProcessFile ? .process : .procedure
        if let kindText {
            if let parsed = DocumentKind(rawValue: kindText.lowercased()) {
                kind = parsed
            } else {
                problems.append(.error("front-matter.type", "type \"\(kindText)\" is not a document type",
                                       at: SourceLocation(path, line: fields.lines["type"]),
                                       fix: "write one of: procedure, work-instruction, process, policy"))
            }
        }

        let interval = fields.interval("review_interval") ?? fields.interval("review_in")
        var status = DocumentStatus.effective
        if let text = fields.string("status") {
            if let parsed = DocumentStatus(rawValue: text.lowercased()) {
                status = parsed
            } else {
                problems.append(.error("front-matter.status", "status \"\(text)\" is not a document status",
                                       at: SourceLocation(path, line: fields.lines["status"]), fix: "write draft, effective or retired"))
            }
        }
        if let criticality = fields.string("criticality"), !["high", "medium", "low"].contains(criticality.lowercased()) {
            problems.append(.error("front-matter.criticality", "criticality \"\(criticality)\" is not a level",
                                   at: SourceLocation(path, line: fields.lines["criticality"]), fix: "write high, medium or low"))
        }
        let lastReviewed = fields.day("last_reviewed") ?? fields.day("last_reviewed_on")
        let revisionOffset = fields.integer("revision_offset") ?? 0
        if revisionOffset < 0 {
            problems.append(.error("front-matter.revision-offset", "revision_offset must not be negative",
                                   at: SourceLocation(path, line: fields.lines["revision_offset"]), fix: "write the paper revision number, e.g. 3"))
        }

        let headings = markdown.headings(of: split.body, firstLine: split.bodyFirstLine)
        let leading = headings.first.flatMap { $0.level == 1 && Self.isFirstBlock($0, in: split.body, firstLine: split.bodyFirstLine) ? $0 : nil }
        let title: String
        let titleSource: Document.TitleSource
        if let explicit = fields.string("title"), !explicit.isEmpty {
            title = explicit
            titleSource = .frontMatter
        } else if let heading = headings.first(where: { $0.level == 1 }), !heading.text.isEmpty {
            title = heading.text
            titleSource = .heading
        } else if isProcessFile, let folder = folders.last {
            title = Self.humanise(folder)
            titleSource = .fileName
        } else {
            title = Self.humanise(path.baseName)
            titleSource = .fileName
        }

        var processKey = fields.string("process")
        if kind == .process, processKey == nil { processKey = folders.first }
        if processKey == nil { processKey = folders.first }

        let document = Document(
            path: path, contentPath: contentPath, kind: kind,
            id: fields.string("id") ?? (isProcessFile ? (folders.first ?? contentPath) : contentPath),
            title: title, titleSource: titleSource, processKey: processKey,
            // An empty handle (`owner: ""`, `owner: "@"`) is no owner, as a missing key is: not a handle named "".
            owner: fields.string("owner").map { $0.trimmingCharacters(in: .whitespaces) }.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
                .flatMap { $0.isEmpty ? nil : $0 },
            reviewInterval: interval, criticality: fields.string("criticality")?.lowercased(), scope: fields.string("scope"),
            tags: fields.list("tags"), status: status, effectiveDate: fields.day("effective_date"),
            supersedes: fields.list("supersedes"), lastReviewed: lastReviewed, revisionOffset: max(0, revisionOffset),
            order: fields.integer("order"), parent: fields.string("parent"),
            start: fields.string("start"), end: fields.string("end"),
            stakeholders: fields.list("stakeholders"), outcome: fields.string("outcome"),
            body: split.body, bodyFirstLine: split.bodyFirstLine,
            bodyStartsWithTitle: titleSource == .heading && leading != nil, keyLines: fields.lines)
        problems += fields.failures.map { .error($0.code, $0.message, at: SourceLocation(path, line: $0.line), fix: $0.fix) }
        return Diagnosed(problems.contains { $0.severity == .error } ? nil : document, diagnostics: problems)
    }

    private static func hasLetterOrDigit(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// True when nothing but blank lines precede the heading in the body.
    private static func isFirstBlock(_ heading: MarkdownHeading, in body: String, firstLine: Int) -> Bool {
        // Only the lines before the heading: splitting a 20 MB body to look at its first lines took seconds.
        var remaining = max(0, heading.line - firstLine)
        for byte in body.utf8 {
            if remaining == 0 { return true }
            if byte == UInt8(ascii: "\n") {
                remaining -= 1
            } else if byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") {
                return false
            }
        }
        return true
    }

    /// `process-a-refund` → `Process a refund` (MkDocs' rule for pages without a title).
    public static func humanise(_ name: String) -> String {
        let words = name.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// 1-based line of the first byte that breaks UTF-8.
    static func lineOfFirstInvalidByte(_ bytes: [UInt8]) -> Int {
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            if length == 0 || index + length > bytes.count
                || String(validating: bytes[index..<index + length], as: UTF8.self) == nil { return line }
            if byte == 0x0A { line += 1 }
            index += length
        }
        return line
    }

    /// The known key nearest to `key` by edit distance, if close enough to be a typo (at most 2 edits).
    public static func closest(to key: String, in candidates: Set<String>) -> String? {
        candidates.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= 2 }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Documents loaded by earlier builds, by file (`--cache`, and `sopsite serve` between saves): a file whose path and
/// bytes are unchanged gives the same document and diagnostics, so it is not parsed again.
public struct DocumentMemo: Sendable {
    struct Loaded: Sendable {
        let checksum: String
        let result: Diagnosed<Document?>
        /// This entry's bytes in the cache file it was read from (after its path), written again as they are: a
        /// one-SOP edit re-encoded 2,000 documents.
        var record: ArraySlice<UInt8>? = nil
    }

    private var loaded: [RepoPath: Loaded] = [:]
    /// Files parsed (not found in the memo) by the last `load`.
    public private(set) var parsed = 0

    public init() {}

    /// Files remembered.
    public var count: Int { loaded.count }

    /// The checksum (`Fingerprint.bulkChecksum`) of the bytes remembered for `path`: after `loadConcurrently`, of
    /// the file as just read.
    public func checksum(of path: RepoPath) -> String? { loaded[path]?.checksum }

    /// Files of `files` that are remembered, and the rest; a remembered result replaces parsing.
    fileprivate func split(_ files: [SourceFile]) -> (known: [(SourceFile, Loaded)], unknown: [(SourceFile, String)]) {
        var known: [(SourceFile, Loaded)] = []
        var unknown: [(SourceFile, String)] = []
        for file in files {
            let checksum = Fingerprint.bulkChecksum(file.bytes)
            if let hit = loaded[file.path], hit.checksum == checksum {
                known.append((file, hit))
            } else {
                unknown.append((file, checksum))
            }
        }
        return (known, unknown)
    }

    /// The binary cache form (`CacheRecordWriter`), after a header naming what the documents were loaded with.
    public func bytes(header: String) -> [UInt8] { writer(header: header).bytes }

    /// `bytes(header:)` as the parts they are written in (see `CacheRecordWriter.pieces`).
    public func pieces(header: String) -> [ArraySlice<UInt8>] { writer(header: header).pieces }

    private func writer(header: String) -> CacheRecordWriter {
        var writer = CacheRecordWriter()
        writer.reserve(loaded.values.reduce(1_024) { $0 + ($1.record?.count ?? 8_192) + 64 })
        writer.string(header)
        writer.count(loaded.count)
        for (path, entry) in loaded {
            writer.string(path.value)
            if let record = entry.record {
                writer.append(record: record)
                continue
            }
            writer.string(entry.checksum)
            writer.optional(entry.result.value == nil ? nil : "")
            entry.result.value?.write(to: &writer)
            writer.count(entry.result.diagnostics.count)
            for diagnostic in entry.result.diagnostics { diagnostic.write(to: &writer) }
        }
        return writer
    }

    /// nil when the bytes are not a whole memo written with the same header.
    public init?(_ bytes: [UInt8], header: String) {
        var reader = CacheRecordReader(bytes)
        guard reader.string() == header, let count = reader.length() else { return nil }
        for _ in 0..<count {
            guard let path = reader.string() else { return nil }
            let start = reader.offset
            guard let checksum = reader.string(), let present = reader.optional() else { return nil }
            var document: Document?
            if present != nil {
                guard let read = Document(reading: &reader) else { return nil }
                document = read
            }
            guard let diagnosticCount = reader.length() else { return nil }
            var diagnostics: [Diagnostic] = []
            for _ in 0..<diagnosticCount {
                guard let diagnostic = Diagnostic(reading: &reader) else { return nil }
                diagnostics.append(diagnostic)
            }
            loaded[RepoPath(path)] = Loaded(checksum: checksum, result: Diagnosed(document, diagnostics: diagnostics),
                                            record: reader.bytes(from: start))
        }
        guard reader.isAtEnd else { return nil }
    }

    fileprivate mutating func replace(with entries: [RepoPath: Loaded], parsed: Int) {
        loaded = entries
        self.parsed = parsed
    }
}

extension DocumentLoader {
    /// `loadConcurrently(_:)`, parsing only files that `memo` does not hold with the same bytes; `memo` is left
    /// holding exactly `files`' results. Same documents and diagnostics as without a memo.
    public func loadConcurrently(_ files: [SourceFile], memo: inout DocumentMemo) async -> Diagnosed<[Document]> {
        let (known, unknown) = memo.split(files)
        let fresh = await ParallelChunks.map(unknown, maxChunks: max(1, min(unknown.count / 64, ProcessInfo.processInfo.activeProcessorCount * 2))) {
            $0.map { (file, checksum) in (file, checksum, self.load(file)) }
        }.flatMap { $0 }
        var entries: [RepoPath: DocumentMemo.Loaded] = [:]
        var results: [(path: RepoPath, result: Diagnosed<Document?>)] = []
        for (file, loaded) in known {
            entries[file.path] = loaded
            results.append((file.path, loaded.result))
        }
        for (file, checksum, result) in fresh {
            entries[file.path] = DocumentMemo.Loaded(checksum: checksum, result: result)
            results.append((file.path, result))
        }
        memo.replace(with: entries, parsed: fresh.count)
        // As `load(_:)` gives them: documents in path order (those without errors), diagnostics sorted.
        results.sort { $0.path < $1.path }
        let documents = results.compactMap { $0.result.hasErrors ? nil : $0.result.value }
        return Diagnosed(documents, diagnostics: results.flatMap(\.result.diagnostics).sorted())
    }
}
