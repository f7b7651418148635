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

/// Where a document is in its life: only effective documents are current procedure.
public enum DocumentStatus: String, Sendable, CaseIterable {
    /// Work in progress: left out of the published site unless `--drafts`.
    case draft
    case effective
    /// No longer in force: published with a banner (and a link to its successor, if any).
    case retired
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
    public internal(set) var processKey: String?
    /// Owner handle, without a leading `@`.
    public internal(set) var owner: String?
    public let reviewInterval: ReviewInterval?
    /// `high`, `medium` or `low` (lowercased as written).
    public let criticality: String?
    public let scope: String?
    public let tags: [String]
    public let status: DocumentStatus
    /// The day the document took effect (`effective_date:`).
    public let effectiveDate: Day?
    /// Ids of the documents this one replaces.
    public let supersedes: [String]
    /// A hand-written review date (`last_reviewed:`, or GOV.UK tech docs' `last_reviewed_on:`) for documents migrated
    /// from elsewhere; honoured only until Git holds newer review evidence (field case B07).
    public let lastReviewed: Day?
    /// For documents migrated from paper at revision N: added to the revision numbers shown.
    public let revisionOffset: Int
    /// Position among the process's procedures (`order:`); nil sorts after numbered ones, by id.
    public let order: Int?
    /// For a work instruction: the id of the procedure whose step it details.
    public let parent: String?
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

    /// This document with its process resolved to a process folder key.
    public func withProcessKey(_ key: String?) -> Document {
        var copy = self
        copy.processKey = key
        return copy
    }

    /// This document with an owner inherited from its process.
    public func withOwner(_ handle: String) -> Document {
        var copy = self
        copy.owner = handle
        return copy
    }

    /// The file line of a front-matter key, or the first line.
    public func location(of key: String) -> SourceLocation {
        SourceLocation(path, line: keyLines[key] ?? 1)
    }
}
