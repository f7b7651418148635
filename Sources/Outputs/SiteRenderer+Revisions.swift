import Documents
import Mustache
import SiteModel
import SOPCore

extension SiteRenderer {
    /// Site-relative URL of an SOP's revision page: `/sop/<id>/rev/<n>/`, stable across renames and moves.
    static func revisionPermalink(id: String, revision: Int) -> String {
        "/sop/\(Permalink.slug(id))/rev/\(revision)/"
    }

    /// Every revision of every SOP at a stable permalink, read from Git blobs (`texts`: blob id → file text), each with
    /// a readable diff against the revision before it; earlier revisions carry an "Obsolete" watermark.
    func revisionPages(_ pages: [SOPPage], site: Site, texts: [String: String], library: MustacheLibrary) throws(OutputError) -> [OutputFile] {
        var files: [OutputFile] = []
        for sop in pages {
            let revisions = sop.history.filter { $0.kind.isRevision && $0.revision != nil && $0.blob != nil }
            guard let newest = revisions.first?.revision else { continue }
            for (index, change) in revisions.enumerated() {
                guard let number = change.revision, let blob = change.blob, let text = texts[blob] else { continue }
                let permalink = Self.revisionPermalink(id: sop.document.id, revision: number)
                let body = Self.body(of: text)
                let rendered = markdown.render(body, dropLeadingTitle: sop.document.bodyStartsWithTitle) { link -> String? in
                    // Links resolve as they do on the current page; old targets that are gone are left as written.
                    switch site.resolve(link.destination, from: sop.document.path) {
                    case .page(let target, let fragment): return Permalink.relative(from: permalink, to: target) + (fragment.map { "#" + $0 } ?? "")
                    case .asset(let target): return Permalink.relative(from: permalink, to: target)
                    default: return nil
                    }
                }
                var diffLines: [DiffLineView] = []
                var previousNumber = ""
                if index + 1 < revisions.count, let older = revisions[index + 1].blob, let olderText = texts[older] {
                    previousNumber = revisions[index + 1].revision.map { "Rev \($0)" } ?? ""
                    diffLines = Self.hunks(TextDiff(old: Self.body(of: olderText), new: body).lines)
                }
                let view = RevisionView(
                    id: sop.document.id, title: sop.document.title, revision: "Rev \(number)", day: change.day.long, dayISO: change.day.iso,
                    author: change.authorName, subject: change.subject, shortID: change.shortID,
                    isCurrent: number == newest, currentRevision: "Rev \(newest)",
                    currentURL: Permalink.relative(from: permalink, to: sop.permalink),
                    html: rendered.html, diff: diffLines, diffHTML: Self.html(diffLines), hasDiff: !diffLines.isEmpty, previousRevision: previousNumber,
                    added: diffLines.count { $0.kind == "added" }, removed: diffLines.count { $0.kind == "removed" })
                let content = try render(library, "layouts/revision", view)
                let layout = LayoutView(siteTitle: site.config.title, pageTitle: "\(sop.document.title) (\(sop.document.id), Rev \(number))",
                                        root: Self.root(from: permalink), content: content, navigation: [],
                                        description: "", isHome: false, scripts: [])
                files.append(OutputFile(path: String(permalink.dropFirst()) + "index.html", text: try render(library, "layouts/layout", layout)))
            }
        }
        return files
    }

    /// The changed lines with two lines of context around each change; longer unchanged stretches become one
    /// "⋯ N unchanged lines" line, as `git diff` shows hunks.
    static func hunks(_ lines: [TextDiff.Line], context: Int = 2) -> [DiffLineView] {
        let changed = lines.indices.filter { if case .same = lines[$0] { false } else { true } }
        var keep = [Bool](repeating: false, count: lines.count)
        for index in changed {
            for near in max(0, index - context)...min(lines.count - 1, index + context) { keep[near] = true }
        }
        var result: [DiffLineView] = []
        var skipped = 0
        for (index, line) in lines.enumerated() {
            if keep[index] {
                if skipped > 0 { result.append(.gap(skipped)) }
                skipped = 0
                result.append(DiffLineView(line))
            } else {
                skipped += 1
            }
        }
        if skipped > 0, !result.isEmpty { result.append(.gap(skipped)) }
        return result
    }

    /// The diff lines as the default theme shows them: `<span class="diff__line diff__line--KIND">` with the sign and the
    /// text, changed word runs in `<mark>`; every text escaped.
    static func html(_ lines: [DiffLineView]) -> String {
        var html = ""
        for line in lines {
            html += "<span class=\"diff__line diff__line--\(line.kind)\"><span class=\"diff__sign\" aria-hidden=\"true\">\(line.sign)</span>"
            for segment in line.segments {
                html += segment.isChanged ? "<mark>" + HTMLEscaping.escape(segment.text) + "</mark>" : HTMLEscaping.escape(segment.text)
            }
            html += "</span>"
        }
        return html
    }

    /// The Markdown body of a file's text (front matter removed, line endings normalised).
    static func body(of text: String) -> String {
        let normalised = FrontMatterSplit.normalise(text)
        return (try? FrontMatterSplit.split(normalised))?.body ?? normalised
    }
}

extension DiffLineView {
    static func gap(_ count: Int) -> DiffLineView {
        DiffLineView(kind: "gap", sign: "⋯", segments: [DiffSegment(text: count == 1 ? "1 unchanged line" : "\(count) unchanged lines", isChanged: false)])
    }

    init(_ line: TextDiff.Line) {
        switch line {
        case .same(let text): self.init(kind: "same", sign: " ", segments: [DiffSegment(text: text, isChanged: false)])
        case .removed(_, let words): self.init(kind: "removed", sign: "−", segments: words.map { DiffSegment(text: $0.text, isChanged: $0.isChanged) })
        case .added(_, let words): self.init(kind: "added", sign: "+", segments: words.map { DiffSegment(text: $0.text, isChanged: $0.isChanged) })
        }
    }
}
