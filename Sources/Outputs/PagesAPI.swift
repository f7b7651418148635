import SiteModel

/// `api/pages.json`: one entry per SOP for tools and CI (GOV.UK's tech docs publish a similar `/api/pages.json`).
///
/// Each entry: `id`, `title`, `source_path` (repository-relative), `url` (site-relative, or absolute when a base URL is
/// configured), `process` (key), `owner`, `commits` (what `git log --follow` counts), `revision`, `created` and
/// `last_change` (`{date, author, email, commit}` with `date` in ISO 8601 with the author's UTC offset, exactly as
/// `git log --format=%aI` prints it; null when not committed), `contributors` (`[{name, email, commits}]`, most commits
/// first), `review` (`{state, next_due (yyyy-MM-dd or null), interval}`). Sorted by id.
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

    struct Entry: Encodable {
        let id: String
        let title: String
        let sourcePath: String
        let url: String
        let process: String?
        let owner: String?
        let commits: Int
        let revision: Int
        let created: Change?
        let lastChange: Change?
        let contributors: [Contributor]
        let review: Review
        let uncommittedChanges: Bool

        enum CodingKeys: String, CodingKey {
            case id, title, url, process, owner, commits, revision, created, contributors, review
            case sourcePath = "source_path"
            case lastChange = "last_change"
            case uncommittedChanges = "uncommitted_changes"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(title, forKey: .title)
            try container.encode(sourcePath, forKey: .sourcePath)
            try container.encode(url, forKey: .url)
            try container.encode(process, forKey: .process)
            try container.encode(owner, forKey: .owner)
            try container.encode(commits, forKey: .commits)
            try container.encode(revision, forKey: .revision)
            try container.encode(created, forKey: .created)
            try container.encode(lastChange, forKey: .lastChange)
            try container.encode(contributors, forKey: .contributors)
            try container.encode(review, forKey: .review)
            try container.encode(uncommittedChanges, forKey: .uncommittedChanges)
        }
    }

    static func build(_ site: Site) -> [UInt8] {
        let base = site.config.baseURL.hasSuffix("/") ? String(site.config.baseURL.dropLast()) : site.config.baseURL
        func change(_ facts: ChangeFacts?) -> Change? {
            facts.map { Change(date: $0.instant.iso8601, author: $0.authorName, email: $0.authorEmail, commit: $0.commitID) }
        }
        let entries = site.pages.map { page in
            Entry(id: page.document.id, title: page.document.title, sourcePath: page.document.path.value,
                  url: base + page.permalink, process: page.document.processKey, owner: page.document.owner,
                  commits: page.history.count, revision: page.revision, created: change(page.created),
                  lastChange: change(page.lastChange),
                  contributors: page.contributors.map { Contributor(name: $0.name, email: $0.email, commits: $0.commits) },
                  review: Review(state: page.review.state.rawValue, nextDue: page.review.nextDue?.iso,
                                 interval: page.review.interval.description),
                  uncommittedChanges: page.hasUncommittedChanges)
        }
        return JSONOutput.encode(entries)
    }
}
