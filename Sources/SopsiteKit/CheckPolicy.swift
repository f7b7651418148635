import SiteModel
import SOPCore

/// What `sopsite check` adds to a build's validation: the review policy, and problems a build only warns about.
enum CheckPolicy {
    /// Warnings of `build` that are errors in `check`: a CI gate must not publish them.
    static let promoted: Set<String> = ["review.unknown-id", "owner.unknown", "link.broken", "link.outside-content", "image.missing-alt",
                                        "document.unknown-process", "document.unknown-supersedes"]

    static func apply(to diagnostics: [Diagnostic], site: Site, threshold: BuildRequest.ReviewThreshold?) -> [Diagnostic] {
        var result = diagnostics.map { diagnostic in
            promoted.contains(diagnostic.code) && diagnostic.severity == .warning
                ? Diagnostic(.error, diagnostic.code, diagnostic.message, at: diagnostic.location, notes: diagnostic.notes, fix: diagnostic.fix)
                : diagnostic
        }
        for page in site.pages where !page.isObsolete {
            let document = page.document
            if document.owner == nil {
                result.append(.error("owner.missing", "\(document.id) has no owner, so nobody is asked to review it",
                                     at: SourceLocation(document.path, line: 1), fix: "add `owner: <handle>` to its front matter or to its process"))
            }
            guard let threshold else { continue }
            let review = page.review
            let due = review.nextDue?.iso ?? ""
            switch review.state {
            case .overdue:
                result.append(.error("review.overdue", "\(document.id) \"\(document.title)\" is overdue for review: it was due \(due) "
                                     + "(every \(review.interval), \(review.intervalSource.explanation))",
                                     at: SourceLocation(document.path, line: 1),
                                     fix: "review it: edit it, or record a review with a `Reviewed: \(document.id)` commit trailer"))
            case .neverReviewed:
                // Committed but never reviewed: its only commits were listed in the ignore-revs file (a bulk import).
                result.append(page.isCommitted
                    ? .error("review.never", "\(document.id) \"\(document.title)\" has never been reviewed: its only commits are listed "
                             + "in the ignore-revs file (a bulk import or reformat), which are not reviews", at: SourceLocation(document.path, line: 1),
                             fix: "review it: edit it, record a review with a `Reviewed: \(document.id)` commit trailer, or write last_reviewed: with the date of the last review on paper")
                    : .error("review.never", "\(document.id) \"\(document.title)\" has never been reviewed (it is not committed)",
                             at: SourceLocation(document.path, line: 1), fix: "commit it"))
            case .dueSoon where threshold == .dueSoon:
                result.append(.error("review.due-soon", "\(document.id) \"\(document.title)\" is due for review on \(due)",
                                     at: SourceLocation(document.path, line: 1),
                                     fix: "review it: edit it, or record a review with a `Reviewed: \(document.id)` commit trailer"))
            default:
                break
            }
        }
        return result.sorted()
    }
}
