import Documents
import GFM
import Mustache
import SiteModel
import SOPCore

extension SiteRenderer {
    /// Site-relative URL of an SOP's revision page: `/sop/<id>/rev/<n>.html`, stable across renames and moves. A file
    /// rather than a folder's `index.html` (as MkDocs's `use_directory_urls: false` and Sphinx publish pages): revision
    /// pages are most of a site's files (18,885 of 23,074 at 2,000 SOPs), and a folder for each doubled what a build
    /// creates and a rebuild checks.
    static func revisionPermalink(id: String, revision: Int) -> String {
        "/sop/\(Permalink.slug(id))/rev/\(revision).html"
    }

    /// Every revision of every SOP at a stable permalink, read from Git blobs (`texts`: blob id → file text), each with
    /// a readable diff against the revision before it; earlier revisions carry an "Obsolete" watermark.
    func revisionPages(_ pages: [SOPPage], site: Site, texts: [String: String], library: MustacheLibrary,
                       navigation: NavigationCache) throws(OutputError) -> [OutputFile] {
        var files: [OutputFile] = []
        for sop in pages {
            let revisions = sop.history.filter { $0.kind.isRevision && $0.revision != nil && $0.blob != nil }
            guard let newest = revisions.first?.revision else { continue }
            // The revisions of one SOP mostly share their source path and their links, and their pages one folder:
            // each link resolves to one URL per path.
            var urls: [String: String?] = [:]
            // Each revision's body and lines, made once though each is diffed twice (as the newer and the older text).
            var bodies: [Int: (body: String, lines: LinedText)] = [:]
            func revisionText(_ index: Int) -> (body: String, lines: LinedText)? {
                if let known = bodies[index] { return known }
                guard let blob = revisions[index].blob, let text = texts[blob] else { return nil }
                let body = Self.body(of: text)
                bodies[index] = (body, LinedText(body))
                return bodies[index]
            }
            for (index, change) in revisions.enumerated() {
                guard let number = change.revision, let (body, lines) = revisionText(index) else { continue }
                bodies[index] = nil
                let permalink = Self.revisionPermalink(id: sop.document.id, revision: number)
                let rendered = markdown.render(body, dropLeadingTitle: sop.document.bodyStartsWithTitle, withPlainText: false) { link -> String? in
                    let key = change.path.value + "\u{0}" + link.destination
                    if let known = urls[key] { return known }
                    // Links resolve from where the file was at that revision, to documents renamed since too; a target
                    // the site no longer has is shown as text, not as a link that leads nowhere.
                    let url: String? = switch site.resolve(link.destination, fromEarlierPath: change.path) {
                    case .page(let target, let fragment): Permalink.relative(from: permalink, to: target) + (fragment.map { "#" + $0 } ?? "")
                    case .asset(let target): Permalink.relative(from: permalink, to: target)
                    case .missing: MarkdownRenderer.unlinked
                    default: nil
                    }
                    urls[key] = url
                    return url
                }
                var diff: RevisionDiff?
                var previousNumber = ""
                if index + 1 < revisions.count, let older = revisionText(index + 1) {
                    previousNumber = revisions[index + 1].revision.map { "Rev \($0)" } ?? ""
                    diff = RevisionDiff(TextDiff(old: older.lines, new: lines))
                }
                let view = RevisionView(
                    id: sop.document.id, title: sop.document.title, revision: "Rev \(number)", day: change.day.long, dayISO: change.day.iso,
                    author: change.authorName, subject: change.subject, shortID: change.shortID,
                    isCurrent: number == newest, currentRevision: "Rev \(newest)",
                    currentURL: Permalink.relative(from: permalink, to: sop.permalink),
                    html: rendered.html, diffLines: diff, diffHTML: diff?.html ?? "", hasDiff: diff?.isEmpty == false, previousRevision: previousNumber,
                    added: diff?.added ?? 0, removed: diff?.removed ?? 0)
                let content = builtIn.revision ? BuiltInTemplates.revision(view) : try render(library, "layouts/revision", view)
                let layout = LayoutView(siteTitle: site.config.title, pageTitle: "\(sop.document.title) (\(sop.document.id), Rev \(number))",
                                        root: Self.root(from: permalink), content: content,
                                        navigation: builtIn.layout ? [] : navigation.items(for: permalink, current: permalink),
                                        description: "", isHome: false, scripts: [])
                let text = builtIn.layout ? BuiltInTemplates.layout(layout, navigationHTML: navigation.html(for: permalink)) : try self.layout(library, layout)
                files.append(OutputFile(path: String(permalink.dropFirst()), text: text))
            }
        }
        return files
    }

    /// The Markdown body of a file's text (front matter removed, line endings normalised).
    static func body(of text: String) -> String {
        let normalised = FrontMatterSplit.normalise(text)
        return (try? FrontMatterSplit.split(normalised))?.body ?? normalised
    }
}

/// A revision's diff as its page shows it: the changed lines with two lines of context around each change; longer
/// unchanged stretches become one "⋯ N unchanged lines" line, as `git diff` shows hunks.
struct RevisionDiff {
    enum Shown {
        /// An index into `diff.edits`.
        case edit(Int)
        case gap(Int)
    }

    let diff: TextDiff
    let shown: [Shown]

    init(_ diff: TextDiff, context: Int = 2) {
        let edits = diff.edits
        var keep = [Bool](repeating: false, count: edits.count)
        for index in edits.indices where edits[index].isChange {
            for near in max(0, index - context)...min(edits.count - 1, index + context) { keep[near] = true }
        }
        var shown: [Shown] = []
        var skipped = 0
        for index in edits.indices {
            if keep[index] {
                if skipped > 0 { shown.append(.gap(skipped)) }
                skipped = 0
                shown.append(.edit(index))
            } else {
                skipped += 1
            }
        }
        if skipped > 0, !shown.isEmpty { shown.append(.gap(skipped)) }
        self.diff = diff
        self.shown = shown
    }

    var isEmpty: Bool { shown.isEmpty }
    /// Every change is shown, so these are the diff's counts.
    var added: Int { diff.addedCount }
    var removed: Int { diff.removedCount }

    /// The lines as the default theme shows them: `<span class="diff__line diff__line--KIND">` with the sign and the
    /// text, changed word runs in `<mark>`; every text escaped. Written from the texts' bytes, without a view per line.
    var html: String {
        var out: [UInt8] = []
        out.reserveCapacity(shown.count * 120)
        func append(_ text: LinedText, _ run: TextDiff.Run) {
            if run.isChanged { out += Self.markOpen }
            text.bytes.withUnsafeBufferPointer { HTMLEscaping.append(UnsafeBufferPointer(rebasing: $0[run.bytes]), to: &out) }
            if run.isChanged { out += Self.markClose }
        }
        // An added line's runs, made with its removed partner's from one edit script (removals come first).
        var addedRuns: [Int: [TextDiff.Run]] = [:]
        for line in shown {
            switch line {
            case .gap(let count):
                out += Self.gapOpening
                out += Array(Self.gapText(count).utf8)
            case .edit(let index):
                switch diff.edits[index] {
                case .same(_, let line):
                    out += Self.sameOpening
                    append(diff.new, TextDiff.Run(bytes: diff.new.lines[line], isChanged: false))
                case .removed(let line, let partner):
                    out += Self.removedOpening
                    let runs: [TextDiff.Run]
                    if let partner {
                        let pair = TextDiff.wordPair(diff.old, line, diff.new, partner)
                        runs = pair.removed
                        addedRuns[partner] = pair.added
                    } else {
                        runs = diff.removedRuns(line, partner: nil)
                    }
                    for run in runs { append(diff.old, run) }
                case .added(let line, let partner):
                    out += Self.addedOpening
                    for run in addedRuns.removeValue(forKey: line) ?? diff.addedRuns(line, partner: partner) { append(diff.new, run) }
                }
            }
            out += Self.lineClose
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func opening(_ kind: String, _ sign: String) -> [UInt8] {
        Array("<span class=\"diff__line diff__line--\(kind)\"><span class=\"diff__sign\" aria-hidden=\"true\">\(sign)</span>".utf8)
    }
    private static let gapOpening = opening("gap", "⋯"), sameOpening = opening("same", " ")
    private static let removedOpening = opening("removed", "−"), addedOpening = opening("added", "+")
    private static let markOpen = Array("<mark>".utf8), markClose = Array("</mark>".utf8), lineClose = Array("</span>".utf8)

    /// The lines as views, for a theme whose revision template walks `{{#diff}}` itself.
    var lineViews: [DiffLineView] {
        shown.map { line in
            switch line {
            case .gap(let count):
                return DiffLineView(kind: "gap", sign: "⋯", segments: [DiffSegment(text: Self.gapText(count), isChanged: false)])
            case .edit(let index):
                switch diff.edits[index] {
                case .same(_, let line):
                    return DiffLineView(kind: "same", sign: " ", segments: [DiffSegment(text: diff.new.string(line), isChanged: false)])
                case .removed(let line, let partner):
                    return DiffLineView(kind: "removed", sign: "−", segments: diff.removedRuns(line, partner: partner).map {
                        DiffSegment(text: diff.old.string($0.bytes), isChanged: $0.isChanged)
                    })
                case .added(let line, let partner):
                    return DiffLineView(kind: "added", sign: "+", segments: diff.addedRuns(line, partner: partner).map {
                        DiffSegment(text: diff.new.string($0.bytes), isChanged: $0.isChanged)
                    })
                }
            }
        }
    }

    static func gapText(_ count: Int) -> String { count == 1 ? "1 unchanged line" : "\(count) unchanged lines" }
}
