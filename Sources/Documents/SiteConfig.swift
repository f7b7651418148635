import Foundation
import SOPCore

/// Site-wide settings from `sopsite.yml` at the repository root; every key is optional.
public struct SiteConfig: Sendable {
    public var title: String
    /// Absolute URL the site is published at, e.g. `https://sops.example.com/`; empty for relative-only output.
    public var baseURL: String
    /// Repository-relative content folder.
    public var contentRoot: RepoPath
    /// IANA time-zone name: the calendar day shown on pages and used for due dates. Never the build machine's zone.
    public var timeZone: String
    /// Days before the due date from which a review is *due soon*.
    public var dueSoonDays: Int
    /// Review interval when neither the SOP nor its process sets one.
    public var defaultInterval: ReviewInterval

    /// Keys read from `sopsite.yml` (a later issue adds review policy, owners and Markdown options).
    public static let knownKeys: Set<String> = ["title", "base_url", "content", "timezone"]

    /// Reads `sopsite.yml`. Unknown keys are warnings; a wrong value is an error with its line.
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
        var diagnostics: [Diagnostic] = []
        for key in fields.keys.sorted() where !knownKeys.contains(key) {
            diagnostics.append(.warning("config.unknown-key", "unknown key \"\(key)\"; sopsite ignores it",
                                        at: SourceLocation(file.path, line: fields.lines[key]),
                                        fix: DocumentLoader.closest(to: key, in: knownKeys).map { "did you mean \"\($0)\"?" }))
        }
        if let title = fields.string("title") { config.title = title }
        if let base = fields.string("base_url") { config.baseURL = base }
        if let content = fields.string("content") {
            let trimmed = content.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
            if content.hasPrefix("/") || trimmed.split(separator: "/").contains("..") {
                diagnostics.append(.error("config.content", "content \"\(content)\" must be a folder inside the repository",
                                          at: SourceLocation(file.path, line: fields.lines["content"]), fix: "write a relative path such as content"))
            } else {
                config.contentRoot = RepoPath(trimmed)
            }
        }
        if let zone = fields.string("timezone") {
            if TimeZone(identifier: zone) == nil {
                diagnostics.append(.error("config.timezone", "timezone \"\(zone)\" is not an IANA time-zone name",
                                          at: SourceLocation(file.path, line: fields.lines["timezone"]),
                                          fix: "write a name such as UTC, Europe/London or America/New_York"))
            } else {
                config.timeZone = zone
            }
        }
        diagnostics += fields.failures.map { .error("config.type", $0.message, at: SourceLocation(file.path, line: $0.line), fix: $0.fix) }
        return Diagnosed(config, diagnostics: diagnostics)
    }

    public init(title: String = "Standard operating procedures", baseURL: String = "", contentRoot: RepoPath = RepoPath("content"),
                timeZone: String = "UTC", dueSoonDays: Int = 30, defaultInterval: ReviewInterval = .defaultInterval) {
        self.title = title
        self.baseURL = baseURL
        self.contentRoot = contentRoot
        self.timeZone = timeZone
        self.dueSoonDays = dueSoonDays
        self.defaultInterval = defaultInterval
    }
}

