import ArgumentParser
import Foundation
import History
import SOPCore
import SopsiteKit

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Print the history sopsite derives for SOPs: each commit's kind and the revision it made.",
        discussion: """
        For each SOP (a Markdown file at HEAD under the content folder; a folder names every SOP in it; no PATH: all \
        of them), one line per commit, newest first, as `git log --follow` lists them (renames followed, merges only \
        when they changed the file against every parent): short id, author date as %aI prints it, the revision the \
        commit made, its kind for this SOP, the author after .mailmap, the path at that commit (and the path it was \
        renamed from) and the subject.

        Kinds: created, content (revisions); metadata (front matter only), whitespace, unchanged (a pure rename), \
        deleted (the path was deleted, then re-used), ignored (listed in the ignore-revs file). Revisions are numbered \
        as the page numbers them (with revision_offset: N, the first is Rev N+1). Reviews recorded by Reviewed: trailers and last_reviewed: dates \
        are not commits of the file and are not listed.

        PATH is relative to the repository's top folder (as `git ls-files` prints it), the current folder or the \
        content folder, or absolute. Exit status: 0, \
        1 when a PATH has no history (renamed since, not committed, no such file), 2 usage errors. It takes build's \
        source options; --now, --drafts and --committed-only change nothing here (the history of what is committed \
        depends on none of them).

        Examples:
          sopsite log content/support/refund.md
          sopsite log content/support --json
          sopsite log --no-cache > /dev/null     # the history pass alone (benchmarks)
        """)

    @OptionGroup var source: SourceOptions

    @Argument(help: "SOP files or folders, from the repository's top folder, the current folder or the content folder (default: the whole content folder).")
    var paths: [String] = []

    @Flag(help: "Print JSON: an array of {path, head_blob, commits, revisions, history: [{commit, short_id, date, author, email, revision, kind, path, renamed_from, subject, merge, ignored, review}]}.")
    var json = false

    @Flag(help: "Print the history pass's time and the commits walked on standard error.")
    var verbose = false

    func validate() throws {
        try source.validate()
    }

    func run() throws {
        var request = LogRequest(repository: source.repo, content: source.content, paths: paths)
        request.cache = source.cacheSetting
        request.allowShallow = source.allowShallow
        let report = HistoryLog.run(request)
        var output = BufferedOutput()
        if json {
            output.bytes.append(contentsOf: LogOutput.json(report.documents, offsets: report.revisionOffsets).utf8)
        } else {
            // Formatted in parallel, in order: after the history pass, printing is the rest of the run.
            let blocks = ParallelChunks.mapWaiting(Array(report.documents.enumerated())) { chunk in
                var bytes: [UInt8] = []
                for (index, history) in chunk {
                    if index > 0 { bytes.append(0x0A) }
                    LogOutput.text(history, offset: report.revisionOffsets[history.path] ?? 0, into: &bytes)
                }
                return bytes
            }
            for block in blocks {
                output.bytes.append(contentsOf: block)
                output.flushIfFull()
            }
        }
        output.flush()
        for diagnostic in report.diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        if verbose {
            FileHandle.standardError.write(Data(String(format: "%8.3f s  history pass (%d commits walked, %d SOPs)\n",
                                                       report.historySeconds, report.commitsWalked, report.documents.count).utf8))
        }
        let errors = report.diagnostics.filter { $0.severity == .error }
        // The histories (a hundred thousand strings for 2,000 SOPs) are freed while the process ends.
        BackgroundRelease.release(report)
        if errors.contains(where: { BuildPipeline.usageCodes.contains($0.code) }) { throw ExitCode(ExitStatus.usage.rawValue) }
        if !errors.isEmpty { throw ExitCode(ExitStatus.problems.rawValue) }
    }
}

/// Standard output in 64 KiB writes: 24,000 lines for 2,000 SOPs, one `print` each, cost more than formatting them.
private struct BufferedOutput {
    var bytes: [UInt8] = []

    mutating func flushIfFull() {
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }
}

enum LogOutput {
    /// One SOP's block: a header line `PATH: N commits, M revisions`, then one line per commit, newest first:
    /// `id  date  Rev n  kind  author  path (from old path)  subject`, columns padded within the block.
    /// Written as bytes: String concatenation and padding were a sixth of `sopsite log`'s time.
    /// - Parameter offset: the document's `revision_offset`, added to revision numbers as the page adds it.
    static func text(_ history: DocumentHistory, offset: Int = 0, into out: inout [UInt8]) {
        let revisions = revisionNumbers(history, offset: offset)
        let kinds = history.commits.map(kindLabel)
        let paths = history.commits.map { commit in commit.renamedFrom.map { "\(commit.path.value) (from \($0.value))" } ?? commit.path.value }
        let revisionLabels = revisions.map { $0.map { "Rev \($0)" } ?? "" }
        let authorWidths = history.commits.map { width($0.authorName) }
        let pathWidths = paths.map(width)
        let revisionWidth = revisionLabels.map(\.utf8.count).max() ?? 0
        let kindWidth = kinds.map(\.utf8.count).max() ?? 0
        let authorWidth = authorWidths.max() ?? 0
        let pathWidth = pathWidths.max() ?? 0
        let revisionCount = history.revisionCount
        out.append(contentsOf: "\(history.path.value): \(history.commits.count) commit\(history.commits.count == 1 ? "" : "s"), ".utf8)
        out.append(contentsOf: "\(revisionCount) revision\(revisionCount == 1 ? "" : "s")".utf8)
        if offset > 0 {
            out.append(contentsOf: " (revision_offset \(offset): numbered from Rev \(offset + 1), as on the page)".utf8)
        }
        out.append(0x0A)
        for (index, commit) in history.commits.enumerated() {
            out.append(contentsOf: commit.id.utf8.prefix(10))
            out.append(contentsOf: "  ".utf8)
            out.append(contentsOf: commit.authorTime.iso8601.utf8)
            out.append(contentsOf: "  ".utf8)
            column(revisionLabels[index], revisionLabels[index].utf8.count, revisionWidth, into: &out)
            column(kinds[index], kinds[index].utf8.count, kindWidth, into: &out)
            column(commit.authorName, authorWidths[index], authorWidth, into: &out)
            column(paths[index], pathWidths[index], pathWidth, into: &out)
            out.append(contentsOf: commit.subject.utf8)
            out.append(0x0A)
        }
    }

    /// `text` padded with spaces from its width (in characters) to `width`, then the two spaces between columns.
    private static func column(_ text: String, _ textWidth: Int, _ width: Int, into out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
        out.append(contentsOf: repeatElement(0x20, count: max(0, width - textWidth) + 2))
    }

    /// Characters, counted cheaply for ASCII text (author names and paths nearly always are).
    private static func width(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
    }

    /// The kind as the page's revision table means it: an ignored creation (a bulk import) is no review, and an
    /// "evil" merge is the merge's own edit.
    static func kindLabel(_ commit: CommitRecord) -> String {
        var label = commit.kind.rawValue
        if commit.kind == .created && commit.isIgnored { label += " (ignored)" }
        if commit.isMerge { label += " (merge)" }
        return label
    }

    /// The revision each commit made (1 + `offset` = created, as the page numbers them), nil for commits that made
    /// none; newest first like the commits.
    static func revisionNumbers(_ history: DocumentHistory, offset: Int = 0) -> [Int?] {
        var revision = history.revisionCount + 1 + offset
        return history.commits.map { commit in
            guard commit.kind.isRevision else { return nil }
            revision -= 1
            return revision
        }
    }

    struct Entry: Encodable {
        let path: String
        let headBlob: String
        let commits: Int
        let revisions: Int
        let revisionOffset: Int
        let history: [Line]
        enum CodingKeys: String, CodingKey {
            case path, commits, revisions, history
            case headBlob = "head_blob", revisionOffset = "revision_offset"
        }
    }

    struct Line: Encodable {
        let commit, shortID, date, author, email, kind, path, subject: String
        let revision: Int?
        let renamedFrom: String?
        let merge, ignored, review: Bool
        enum CodingKeys: String, CodingKey {
            case commit, date, author, email, kind, path, subject, revision, merge, ignored, review
            case shortID = "short_id", renamedFrom = "renamed_from"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            for (key, value) in [(CodingKeys.commit, commit), (.shortID, shortID), (.date, date), (.author, author), (.email, email),
                                 (.kind, kind), (.path, path), (.subject, subject)] {
                try container.encode(value, forKey: key)
            }
            // Written as null rather than left out, so every line has the same keys.
            try container.encode(revision, forKey: .revision)
            try container.encode(renamedFrom, forKey: .renamedFrom)
            try container.encode(merge, forKey: .merge)
            try container.encode(ignored, forKey: .ignored)
            try container.encode(review, forKey: .review)
        }
    }

    /// The documents as a JSON array (sorted keys, pretty-printed), in the order given.
    static func json(_ documents: [DocumentHistory], offsets: [RepoPath: Int] = [:]) -> String {
        let entries = documents.map { history in
            let offset = offsets[history.path] ?? 0
            let revisions = revisionNumbers(history, offset: offset)
            return Entry(path: history.path.value, headBlob: history.headBlob, commits: history.commits.count, revisions: history.revisionCount,
                         revisionOffset: offset,
                         history: history.commits.enumerated().map { index, commit in
                             Line(commit: commit.id, shortID: commit.shortID, date: commit.authorTime.iso8601, author: commit.authorName,
                                  email: commit.authorEmail, kind: commit.kind.rawValue, path: commit.path.value, subject: commit.subject,
                                  revision: revisions[index], renamedFrom: commit.renamedFrom?.value, merge: commit.isMerge,
                                  ignored: commit.isIgnored, review: commit.isReview)
                         })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        do {
            return String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n"
        } catch {
            // Only strings, numbers and booleans are encoded: a failure would be a programming error.
            preconditionFailure("JSON encoding failed: \(error)")
        }
    }
}
