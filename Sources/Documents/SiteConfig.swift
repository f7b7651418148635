import Foundation
import SOPCore

/// Site-wide settings from `sopsite.yml` at the repository root; every key is optional (defaults below, as in the
/// README's table).
public struct SiteConfig: Sendable {
    public var title = "Standard operating procedures"
    /// Absolute URL the site is published at, e.g. `https://sops.example.com/`; empty for relative-only output.
    public var baseURL = ""
    /// Repository-relative content folder.
    public var contentRoot = RepoPath("content")
    /// Output folder (relative to the repository), used when `--out` is not given.
    public var output: String?
    /// IANA time-zone name: the calendar day shown on pages and used for due dates. Never the build machine's zone.
    public var timeZone = "UTC"
    /// Review interval when neither the SOP, its process nor its criticality sets one.
    public var defaultInterval = ReviewInterval.defaultInterval
    /// Interval by criticality: high 3 months, medium 6 months, low 12 months (the seed's review cycle).
    public var intervalByCriticality: [String: ReviewInterval] = ["high": ReviewInterval(months: 3), "medium": ReviewInterval(months: 6),
                                                                  "low": ReviewInterval(months: 12)]
    /// Days before the due date from which a review is *due soon*.
    public var dueSoonDays = 30
    /// Repository-relative ignore-revs file (`.git-blame-ignore-revs` format).
    public var ignoreRevsFile = RepoPath(".git-blame-ignore-revs")
    /// Pass raw HTML in Markdown through (off: it is omitted, and dangerous URLs are emptied).
    public var allowRawHTML = false
    /// Publish every earlier revision of every SOP at `/sop/<id>/rev/<n>.html` (`revision_pages:`, default true).
    public var revisionPages = true
    /// Repository-relative owners file; nil: `owners.yml` in the content folder, else at the repository root.
    public var ownersFile: RepoPath?
    /// Repository-relative theme folder whose templates and assets override the built-in theme's by name.
    public var themeFolder: RepoPath?

    public init() {}

    /// Keys read from `sopsite.yml`, with the nested ones under their group.
    public static let knownKeys: Set<String> = ["title", "base_url", "content", "output", "timezone", "review", "markdown", "owners", "theme", "revision_pages"]
    static let reviewKeys: Set<String> = ["default_interval", "by_criticality", "due_soon", "ignore_revs_file"]
    static let markdownKeys: Set<String> = ["allow_raw_html"]

    /// Reads `sopsite.yml`. Unknown keys are warnings with a "did you mean"; a wrong value is an error with its line.
    public static func load(_ file: SourceFile) -> Diagnosed<SiteConfig> {
        var config = SiteConfig()
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return Diagnosed(config, diagnostics: [.error("config.encoding", "the file is not valid UTF-8", at: SourceLocation(file.path, line: 1))])
        }
        var fields = FrontMatterFields(path: file.path, firstLine: 1)
        do {
            try fields.parse(FrontMatterSplit.normalise(text))
        } catch {
            return Diagnosed(config, diagnostics: [.error(error.code.replacingOccurrences(of: "front-matter", with: "config"),
                                                          error.message.replacingOccurrences(of: "the front matter", with: "sopsite.yml"),
                                                          at: SourceLocation(file.path, line: error.line), fix: error.fix)])
        }
        var diagnostics = unknownKeys(fields, known: knownKeys, in: file.path, prefix: "")
        func error(_ code: String, _ message: String, _ line: Int?, _ fix: String) {
            diagnostics.append(.error(code, message, at: SourceLocation(file.path, line: line), fix: fix))
        }
        if let title = fields.string("title") { config.title = title }
        if let base = fields.string("base_url") {
            // It prefixes every URL in the JSON outputs and feeds: a javascript: or data: value would be a link to script.
            let lower = base.lowercased()
            if base.isEmpty || lower.hasPrefix("https://") || lower.hasPrefix("http://") {
                config.baseURL = base
            } else {
                error("config.base-url", "base_url \"\(base)\" is not an http or https URL", fields.lines["base_url"],
                      "write the address the site is published at, e.g. https://sops.example.com/")
            }
        }
        if let content = fields.string("content") {
            if let folder = relativeFolder(content) { config.contentRoot = folder } else {
                error("config.content", "content \"\(content)\" must be a folder inside the repository", fields.lines["content"],
                      "write a relative path such as content")
            }
        }
        config.output = fields.string("output")
        if let owners = fields.string("owners") {
            if let path = relativeFolder(owners) { config.ownersFile = path } else {
                error("config.owners", "owners \"\(owners)\" must be a file inside the repository", fields.lines["owners"],
                      "write a relative path such as owners.yml")
            }
        }
        if let publish = fields.boolean("revision_pages") { config.revisionPages = publish }
        if let theme = fields.string("theme") {
            if let path = relativeFolder(theme) { config.themeFolder = path } else {
                error("config.theme", "theme \"\(theme)\" must be a folder inside the repository", fields.lines["theme"],
                      "write a relative path such as theme")
            }
        }
        if let zone = fields.string("timezone") {
            if TimeZone(identifier: zone) == nil {
                error("config.timezone", "timezone \"\(zone)\" is not an IANA time-zone name", fields.lines["timezone"],
                      "write a name such as UTC, Europe/London or America/New_York")
            } else {
                config.timeZone = zone
            }
        }
        if var review = fields.nested("review") {
            diagnostics += unknownKeys(review, known: reviewKeys, in: file.path, prefix: "review.")
            if let interval = review.interval("default_interval") { config.defaultInterval = interval }
            if let text = review.string("due_soon") {
                if let days = Int(text) ?? ReviewInterval(parsing: text).flatMap({ $0.months == 0 ? $0.days : nil }), days >= 0 {
                    config.dueSoonDays = days
                } else {
                    error("config.due-soon", "review.due_soon \"\(text)\" is not a number of days", review.lines["due_soon"],
                          "write a number of days such as 30")
                }
            }
            if let path = review.string("ignore_revs_file") {
                if let file = relativeFolder(path) { config.ignoreRevsFile = file } else {
                    error("config.ignore-revs", "review.ignore_revs_file \"\(path)\" must be a file inside the repository",
                          review.lines["ignore_revs_file"], "write a relative path such as .git-blame-ignore-revs")
                }
            }
            if var levels = review.nested("by_criticality") {
                diagnostics += unknownKeys(levels, known: ["high", "medium", "low"], in: file.path, prefix: "review.by_criticality.")
                for level in ["high", "medium", "low"] {
                    if let interval = levels.interval(level) { config.intervalByCriticality[level] = interval }
                }
                diagnostics += levels.failures.map { .error("config.type", $0.message, at: SourceLocation(file.path, line: $0.line), fix: $0.fix) }
            }
            diagnostics += review.failures.map { .error("config.type", $0.message, at: SourceLocation(file.path, line: $0.line), fix: $0.fix) }
        }
        if var markdown = fields.nested("markdown") {
            diagnostics += unknownKeys(markdown, known: markdownKeys, in: file.path, prefix: "markdown.")
            if let allow = markdown.boolean("allow_raw_html") { config.allowRawHTML = allow }
            diagnostics += markdown.failures.map { .error("config.type", $0.message, at: SourceLocation(file.path, line: $0.line), fix: $0.fix) }
        }
        diagnostics += fields.failures.map { .error("config.type", $0.message, at: SourceLocation(file.path, line: $0.line), fix: $0.fix) }
        return Diagnosed(config, diagnostics: diagnostics)
    }

    private static func unknownKeys(_ fields: FrontMatterFields, known: Set<String>, in path: RepoPath, prefix: String) -> [Diagnostic] {
        fields.keys.sorted().filter { !known.contains($0) }.map { key in
            .warning("config.unknown-key", "unknown key \"\(prefix)\(key)\"; sopsite ignores it", at: SourceLocation(path, line: fields.lines[key]),
                     fix: DocumentLoader.closest(to: key, in: known).map { "did you mean \"\(prefix)\($0)\"?" })
        }
    }

    /// A relative path inside the repository (no leading `/`, no `..`), normalised; nil otherwise.
    static func relativeFolder(_ text: String) -> RepoPath? {
        if text.hasPrefix("/") { return nil }
        let parts = text.split(separator: "/").filter { $0 != "." }
        if parts.contains("..") { return nil }
        return RepoPath(parts.joined(separator: "/"))
    }
}
