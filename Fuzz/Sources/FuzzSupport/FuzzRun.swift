import Dispatch
import Documents
import Foundation
import GFM
import History
import Outputs
import SiteModel
import SOPCore

/// What the fuzz targets share: the fixed parts of the site they build, and the stages of the build as SopsiteKit's
/// BuildPipeline runs them (without the disk and Git).
public enum FuzzRun {
    /// A fixed day, so that every run of an input takes the same path.
    public static let now = Day(2026, 3, 1)

    /// The process file of the folder the fuzzed document lives in: links to the fuzzed document, a sibling and a picture.
    public static let processFile = SourceFile(path: RepoPath("content/ops/_process.md"), bytes: Array("""
        ---
        title: Operations
        outcome: The lights stay on.
        ---
        See [the fuzzed SOP](fuzzed.md#steps), [the other SOP](other.md) and ![the flow](images/flow.png).

        """.utf8))

    /// A sibling SOP, so that links from the fuzzed one can resolve to a page.
    public static let otherFile = SourceFile(path: RepoPath("content/ops/other.md"), bytes: Array("""
        ---
        id: SOP-OPS-2
        title: Restart the API
        owner: dana
        criticality: high
        tags: [api, restart]
        ---
        # Restart the API

        1. Drain the node ([how](fuzzed.md)).
        2. Restart it.

        """.utf8))

    public static let owners = Owners.load(SourceFile(path: RepoPath("content/owners.yml"), bytes: Array("""
        dana:
          name: Dana Whitfield
          email: dana@example.com
          team: Operations

        """.utf8))).value

    public static let assets = [RepoPath("content/ops/images/flow.png")]

    /// The fixed files and `fuzzed` as `content/ops/fuzzed.md`.
    public static func files(fuzzed: [UInt8]) -> [SourceFile] {
        [processFile, otherFile, SourceFile(path: RepoPath("content/ops/fuzzed.md"), bytes: fuzzed)]
    }

    /// Loads `files` and assembles them into a site with no history (every page uncommitted), as the build does;
    /// checks the site's permalinks and every diagnostic's lines (see `checkDiagnostics`).
    public static func assemble(_ files: [SourceFile], config: SiteConfig) -> Site {
        let loaded = DocumentLoader(contentRoot: config.contentRoot).load(files)
        var options = Site.Options()
        options.assets = assets
        options.owners = owners
        options.uncommitted = Set(files.map(\.path))
        let assembled = Site.assemble(documents: loaded.value, history: HistoryIndex(head: nil, commitCount: 0, documents: [:]),
                                      config: config, now: now, options: options)
        checkDiagnostics(loaded.diagnostics + assembled.diagnostics, lineCounts: lineCounts(files))
        let site = assembled.value
        // Nothing lost: a document that loaded and is not a draft is published, unless the site reports an error for it.
        let published = Set(site.pages.map(\.document.path) + site.processes.compactMap { $0.document?.path })
        let refused = Set(assembled.diagnostics.filter { $0.severity == .error }.map(\.location.path))
        for document in loaded.value where document.status != .draft && !published.contains(document.path) && !refused.contains(document.path) {
            fail("\(document.path.value) loaded without errors but is not published")
        }
        for permalink in site.processes.map(\.permalink) + site.pages.map(\.permalink) {
            // A page's folder in the output: `/a/b/`, no empty, `.` or `..` segment (which would leave the site).
            let segments = permalink.split(separator: "/", omittingEmptySubsequences: false)
            if !permalink.hasPrefix("/") || !permalink.hasSuffix("/") || permalink.contains("\\")
                || segments.dropFirst().dropLast().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                fail("a page was given the permalink \(permalink)")
            }
        }
        return site
    }

    /// Every diagnostic about one of the files (`lineCounts`: path → number of lines) names a line of that file, or
    /// none; so do its notes.
    public static func checkDiagnostics(_ diagnostics: [Diagnostic], lineCounts: [RepoPath: Int]) {
        for diagnostic in diagnostics {
            for location in [diagnostic.location] + diagnostic.notes.map(\.location) {
                guard let count = lineCounts[location.path], let line = location.line else { continue }
                if line < 1 || line > count {
                    fail("\(diagnostic.code) reported at \(location), outside the file's \(count) lines: \(diagnostic.message)")
                }
            }
        }
    }

    /// Renders the body of every published document with its links rewritten, as `SiteRenderer` does for each page,
    /// and checks the result: safe HTML, rewritten links that stay relative, and lines inside the file.
    public static func renderBodies(of site: Site, lineCounts: [RepoPath: Int]) {
        let markdown = MarkdownRenderer(allowRawHTML: site.config.allowRawHTML)
        let documents = site.processes.compactMap { process in process.document.map { ($0, process.permalink) } }
            + site.pages.map { ($0.document, $0.permalink) }
        for (document, permalink) in documents {
            var rewritten: [String] = []
            // The resolver SiteRenderer.renderBody passes (its diagnostics left out).
            let rendered = markdown.render(document.body, firstLine: document.bodyFirstLine, dropLeadingTitle: document.bodyStartsWithTitle) { link in
                let url: String?
                switch site.resolve(link.destination, from: document.path) {
                case .page(let target, let fragment): url = Permalink.relative(from: permalink, to: target) + (fragment.map { "#" + $0 } ?? "")
                case .asset(let target): url = Permalink.relative(from: permalink, to: target)
                case .external, .missing, .outsideContent: url = nil
                }
                if let url { rewritten.append(url) }
                return url
            }
            let place = "\(document.path.value) at \(permalink)"
            if !site.config.allowRawHTML, let violation = OutputInvariants.htmlViolation(Array(rendered.html.utf8)) {
                fail("\(place): \(violation)")
            }
            for url in rewritten {
                // A rewritten link is a relative path inside the site: no scheme, no host, no root.
                let path = url.prefix { $0 != "#" }
                if path.hasPrefix("/") || path.contains(":") || path.contains("\\") || path.isEmpty {
                    fail("\(place): a link was rewritten to \(url)")
                }
            }
            if let lineCount = lineCounts[document.path] {
                let lines = rendered.headings.map { ("heading \"\($0.text)\"", $0.line) } + rendered.links.map { ("link \"\($0.destination)\"", $0.line) }
                if let (what, line) = lines.first(where: { $0.1 < document.bodyFirstLine || $0.1 > lineCount }) {
                    fail("\(place): \(what) reported on line \(line) of a file whose body is lines \(document.bodyFirstLine)...\(lineCount)")
                }
            }
        }
    }

    /// Renders `site` in full with the built-in theme: every page, feed and JSON file; checks every file.
    public static func renderSite(_ site: Site) {
        let allowRawHTML = site.config.allowRawHTML
        let rendered = waiting { () -> Result<Diagnosed<[OutputFile]>, OutputError> in
            do throws(OutputError) {
                return .success(try await SiteRenderer(theme: .builtIn, allowRawHTML: allowRawHTML).render(site))
            } catch {
                return .failure(error)
            }
        }
        switch rendered {
        case .failure(let error):
            fail("the built-in theme failed to render: \(error)")
        case .success(let output):
            if !allowRawHTML, let violation = OutputInvariants.violation(in: output.value) { fail(violation) }
        }
    }

    /// The number of lines of each file as the loader counts them (after CRLF and CR are normalised).
    public static func lineCounts(_ files: [SourceFile]) -> [RepoPath: Int] {
        var counts: [RepoPath: Int] = [:]
        for file in files {
            let text = FrontMatterSplit.normalise(String(decoding: file.bytes, as: UTF8.self))
            counts[file.path] = text.utf8.count { $0 == 0x0A } + 1
        }
        return counts
    }

    /// Runs `body` and waits for it: libFuzzer calls a synchronous C function.
    public static func waiting<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        guard let value = box.value else { fail("the task finished without a result") }
        return value
    }

    /// Reports a broken invariant and aborts, which libFuzzer records as a crash with the input that caused it.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("sopsite fuzz: invariant violated: \(message)\n".utf8))
        abort()
    }
}

/// One result handed from a task to the thread waiting for it. Safe without a lock: written once by the task before
/// it signals the semaphore, read only after the wait returns.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
