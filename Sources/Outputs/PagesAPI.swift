import SiteModel

/// `api/pages.json`: one entry per SOP for tools and CI (GOV.UK's tech docs publish a similar `/api/pages.json`).
///
/// Each entry: `id`, `title`, `source_path` (repository-relative), `url` (site-relative, or absolute when a base URL is
/// configured), `process` (key), `owner`, `commits` (what `git log --follow` counts), `revision`, `created` and
/// `last_change` and `last_revision` (`{date, author, email, commit}` with `date` in ISO 8601 with the author's UTC
/// offset, exactly as `git log --format=%aI` prints it; null when not committed), `last_review` (`{date, author, commit,
/// kind, reviewer, note}`), `status`, `contributors` (`[{name, email, commits}]`, most commits first), `review`
/// (`{state, next_due (yyyy-MM-dd or null), interval}`), `superseded_by`, `uncommitted` and `history` (every commit,
/// newest first, with its kind and the revision it made). Sorted by id.
public enum PagesAPI {
    struct Change: Encodable {
        let date: String
        let author: String
        let email: String
        let commit: String
    }

    struct Contributor: Encodable {
        let name: String
        let email: String
        let commits: Int
    }

    struct Review: Encodable {
        let state: String
        let nextDue: String?
        let interval: String

        enum CodingKeys: String, CodingKey {
            case state, interval
            case nextDue = "next_due"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(state, forKey: .state)
            try container.encode(nextDue, forKey: .nextDue)  // null, not absent, when never committed
            try container.encode(interval, forKey: .interval)
        }
    }

    struct ReviewRecord: Encodable {
        let date: String
        let author: String?
        let commit: String?
        /// `edit` (a content change), `trailer` (a `Reviewed:` commit) or `front-matter` (a hand-written date).
        let kind: String
        let reviewer: String?
        let note: String?
    }

    struct HistoryEntry: Encodable {
        let commit: String
        let date: String
        let author: String
        let subject: String
        /// created, content, metadata, whitespace, unchanged, deleted or ignored (README, "What comes from Git").
        let kind: String
        let revision: Int?
        let renamedFrom: String?

        enum CodingKeys: String, CodingKey {
            case commit, date, author, subject, kind, revision
            case renamedFrom = "renamed_from"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(commit, forKey: .commit)
            try container.encode(date, forKey: .date)
            try container.encode(author, forKey: .author)
            try container.encode(subject, forKey: .subject)
            try container.encode(kind, forKey: .kind)
            try container.encode(revision, forKey: .revision)
            try container.encode(renamedFrom, forKey: .renamedFrom)
        }
    }

    struct Entry: Encodable {
        let id: String
        let title: String
        let sourcePath: String
        let url: String
        let process: String?
        let owner: String?
        let status: String
        let commits: Int
        let revision: Int
        let created: Change?
        let lastChange: Change?
        let lastRevision: Change?
        let lastReview: ReviewRecord?
        let contributors: [Contributor]
        let review: Review
        let supersededBy: [String]
        let uncommitted: Bool
        let history: [HistoryEntry]

        enum CodingKeys: String, CodingKey {
            case id, title, url, process, owner, status, commits, revision, created, contributors, review, uncommitted, history
            case sourcePath = "source_path"
            case lastChange = "last_change"
            case lastRevision = "last_revision"
            case lastReview = "last_review"
            case supersededBy = "superseded_by"
        }

        func encode(to encoder: any Encoder) throws {
            // Explicit nulls: a consumer can tell "never committed" from a missing field.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(sourcePath, forKey: .sourcePath)
            try container.encode(url, forKey: .url)
            try container.encode(process, forKey: .process)
            try container.encode(owner, forKey: .owner)
            try container.encode(status, forKey: .status)
            try container.encode(commits, forKey: .commits)
            try container.encode(revision, forKey: .revision)
            try container.encode(created, forKey: .created)
            try container.encode(lastChange, forKey: .lastChange)
            try container.encode(lastRevision, forKey: .lastRevision)
            try container.encode(lastReview, forKey: .lastReview)
            try container.encode(contributors, forKey: .contributors)
            try container.encode(review, forKey: .review)
            try container.encode(supersededBy, forKey: .supersededBy)
            try container.encode(uncommitted, forKey: .uncommitted)
            try container.encode(history, forKey: .history)
        }
    }

    static func build(_ site: Site) -> [UInt8] {
        func change(_ facts: ChangeFacts?) -> Change? {
            facts.map { Change(date: $0.instant.iso8601, author: $0.authorName, email: $0.authorEmail, commit: $0.commitID) }
        }
        let entries = site.pages.map { page in
            Entry(id: page.document.id, title: page.document.title, sourcePath: page.document.path.value,
                  url: site.publishedURL(page.permalink), process: page.document.processKey, owner: page.document.owner,
                  status: page.document.status.rawValue, commits: page.history.count, revision: page.revision,
                  created: change(page.created), lastChange: change(page.lastChange), lastRevision: change(page.lastRevision),
                  lastReview: page.lastReview.map {
                      ReviewRecord(date: $0.instant?.iso8601 ?? $0.day.iso, author: $0.reviewer, commit: $0.commitID, kind: $0.kind.rawValue,
                                   reviewer: $0.kind == .trailer ? $0.reviewer : nil, note: $0.note)
                  },
                  contributors: page.contributors.map { Contributor(name: $0.name, email: $0.email, commits: $0.commits) },
                  review: Review(state: page.review.state.rawValue, nextDue: page.review.nextDue?.iso,
                                 interval: page.review.interval.description),
                  supersededBy: page.supersededBy, uncommitted: page.hasUncommittedChanges,
                  history: page.history.map {
                      HistoryEntry(commit: $0.commitID, date: $0.instant.iso8601, author: $0.authorName, subject: $0.subject,
                                   kind: $0.kind.rawValue, revision: $0.revision, renamedFrom: $0.renamedFrom?.value)
                  })
        }
        return JSONOutput.encode(entries)
    }
}
