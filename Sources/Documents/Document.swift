import SOPCore

/// What a controlled document is, from its `type:` front matter (default: procedure; `_process.md` is a process).
public enum DocumentKind: String, Sendable, CaseIterable, Codable {
    case procedure
    case workInstruction = "work-instruction"
    case process
    case policy

    /// Singular label for the UI: "Procedure", "Work instruction".
    public var label: String {
        switch self {
        case .procedure: "Procedure"
        case .workInstruction: "Work instruction"
        case .process: "Process"
        case .policy: "Policy"
        }
    }
}

/// One Markdown file under the content folder, validated: an SOP (procedure, work instruction, policy) or a process.
public struct Document: Sendable {
    /// Repository-relative path of the source file.
    public let path: RepoPath
    /// Path relative to the content folder without the extension, e.g. `customer-support/process-a-refund`.
    public let contentPath: String
    public let kind: DocumentKind
    /// `id:` from front matter, else the content path (e.g. `customer-support/process-a-refund`).
    public let id: String
    public let title: String
    /// Where the title came from, so pages can explain a surprising one.
    public let titleSource: TitleSource
    /// The process this document belongs to: `process:` from front matter, else its top folder under the content
    /// folder; nil for a document at the top of the content folder. For a process, its own key.
    public let processKey: String?
    /// Owner handle, without a leading `@`.
    public let owner: String?
    public let reviewInterval: ReviewInterval?
    public let criticality: String?
    public let scope: String?
    public let tags: [String]
    /// Process fields (the what and why): start and end points, stakeholders, outcome.
    public let start: String?
    public let end: String?
    public let stakeholders: [String]
    public let outcome: String?
    /// The Markdown body (front matter removed, line endings normalised).
    public let body: String
    /// File line on which `body` starts.
    public let bodyFirstLine: Int
    /// True when the title came from a level-one heading at the top of the body, which the page shows instead.
    public let bodyStartsWithTitle: Bool
    /// File line of each front-matter key, for later diagnostics (e.g. an unknown `process:`).
    public let keyLines: [String: Int]

    public enum TitleSource: String, Sendable {
        case frontMatter, heading, fileName
    }

    public init(path: RepoPath, contentPath: String, kind: DocumentKind, id: String, title: String, titleSource: TitleSource,
                processKey: String?, owner: String?, reviewInterval: ReviewInterval?, criticality: String?, scope: String?,
                tags: [String], start: String?, end: String?, stakeholders: [String], outcome: String?, body: String,
                bodyFirstLine: Int, bodyStartsWithTitle: Bool, keyLines: [String: Int]) {
        self.path = path
        self.contentPath = contentPath
        self.kind = kind
        self.id = id
        self.title = title
        self.titleSource = titleSource
        self.processKey = processKey
        self.owner = owner
        self.reviewInterval = reviewInterval
        self.criticality = criticality
        self.scope = scope
        self.tags = tags
        self.start = start
        self.end = end
        self.stakeholders = stakeholders
        self.outcome = outcome
        self.body = body
        self.bodyFirstLine = bodyFirstLine
        self.bodyStartsWithTitle = bodyStartsWithTitle
        self.keyLines = keyLines
    }

    /// This document with its process resolved to a process folder key.
    public func withProcessKey(_ key: String?) -> Document {
        Document(path: path, contentPath: contentPath, kind: kind, id: id, title: title, titleSource: titleSource, processKey: key,
                 owner: owner, reviewInterval: reviewInterval, criticality: criticality, scope: scope, tags: tags, start: start,
                 end: end, stakeholders: stakeholders, outcome: outcome, body: body, bodyFirstLine: bodyFirstLine,
                 bodyStartsWithTitle: bodyStartsWithTitle, keyLines: keyLines)
    }

    /// The file line of a front-matter key, or the first line.
    public func location(of key: String) -> SourceLocation {
        SourceLocation(path, line: keyLines[key] ?? 1)
    }
}
