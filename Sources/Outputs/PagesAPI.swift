import SiteModel

/// `api/pages.json`: one entry per SOP for tools and CI (GOV.UK's tech docs publish a similar `/api/pages.json`).
///
/// Each entry: `id`, `title`, `source_path` (repository-relative), `url` (site-relative, or absolute when a base URL is
/// configured), `process` (key), `owner`, `commits` (what `git log --follow` counts), `revision`, `created` and
/// `last_change` and `last_revision` (`{date, author, email, commit}` with `date` in ISO 8601 with the author's UTC
/// offset, exactly as `git log --format=%aI` prints it; null when not committed), `last_review` (`{date, author, commit,
/// kind, reviewer, note}`), `status`, `contributors` (`[{name, email, commits}]`, most commits first), `review`
/// (`{state, next_due (yyyy-MM-dd or null), interval}`), `superseded_by`, `uncommitted` (edits not committed, or never
/// committed at all) and `history` (every commit, newest first, with its kind and the revision it made). Sorted by id.
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
        json(entries(site))
    }

    static func entries(_ site: Site) -> [Entry] {
        func change(_ facts: ChangeFacts?) -> Change? {
            facts.map { Change(date: $0.instant.iso8601, author: $0.authorName, email: $0.authorEmail, commit: $0.commitID) }
        }
        return site.pages.map { page in
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
                  supersededBy: page.supersededBy, uncommitted: page.hasUncommittedChanges || page.history.isEmpty,
                  history: page.history.map {
                      HistoryEntry(commit: $0.commitID, date: $0.instant.iso8601, author: $0.authorName, subject: $0.subject,
                                   kind: $0.kind.rawValue, revision: $0.revision, renamedFrom: $0.renamedFrom?.value)
                  })
        }
    }

    /// The entries as `JSONOutput.encode` writes them (sorted keys, the same escapes; tests compare the two), by hand:
    /// through JSONEncoder this file was a third of a second at 2,000 SOPs, on every build that changed any SOP's metadata.
    static func json(_ entries: [Entry]) -> [UInt8] {
        var out = JSONWriter(capacity: entries.count * 2_000)
        func change(_ value: Change?, _ out: inout JSONWriter) {
            guard let value else { return out.raw("null") }
            out.raw("{\"author\":")
            out.string(value.author)
            out.raw(",\"commit\":")
            out.string(value.commit)
            out.raw(",\"date\":")
            out.string(value.date)
            out.raw(",\"email\":")
            out.string(value.email)
            out.raw("}")
        }
        out.array(entries) { out, entry in
            out.raw("{\"commits\":")
            out.int(entry.commits)
            out.raw(",\"contributors\":")
            out.array(entry.contributors) { out, contributor in
                out.raw("{\"commits\":")
                out.int(contributor.commits)
                out.raw(",\"email\":")
                out.string(contributor.email)
                out.raw(",\"name\":")
                out.string(contributor.name)
                out.raw("}")
            }
            out.raw(",\"created\":")
            change(entry.created, &out)
            out.raw(",\"history\":")
            out.array(entry.history) { out, item in
                out.raw("{\"author\":")
                out.string(item.author)
                out.raw(",\"commit\":")
                out.string(item.commit)
                out.raw(",\"date\":")
                out.string(item.date)
                out.raw(",\"kind\":")
                out.string(item.kind)
                out.raw(",\"renamed_from\":")
                out.string(item.renamedFrom)
                out.raw(",\"revision\":")
                out.int(item.revision)
                out.raw(",\"subject\":")
                out.string(item.subject)
                out.raw("}")
            }
            out.raw(",\"id\":")
            out.string(entry.id)
            out.raw(",\"last_change\":")
            change(entry.lastChange, &out)
            out.raw(",\"last_review\":")
            if let review = entry.lastReview {
                // Absent fields are left out here (the synthesised encoding), not written as null.
                out.raw("{")
                if let author = review.author {
                    out.raw("\"author\":")
                    out.string(author)
                    out.raw(",")
                }
                if let commit = review.commit {
                    out.raw("\"commit\":")
                    out.string(commit)
                    out.raw(",")
                }
                out.raw("\"date\":")
                out.string(review.date)
                out.raw(",\"kind\":")
                out.string(review.kind)
                if let note = review.note {
                    out.raw(",\"note\":")
                    out.string(note)
                }
                if let reviewer = review.reviewer {
                    out.raw(",\"reviewer\":")
                    out.string(reviewer)
                }
                out.raw("}")
            } else {
                out.raw("null")
            }
            out.raw(",\"last_revision\":")
            change(entry.lastRevision, &out)
            out.raw(",\"owner\":")
            out.string(entry.owner)
            out.raw(",\"process\":")
            out.string(entry.process)
            out.raw(",\"review\":{\"interval\":")
            out.string(entry.review.interval)
            out.raw(",\"next_due\":")
            out.string(entry.review.nextDue)
            out.raw(",\"state\":")
            out.string(entry.review.state)
            out.raw("},\"revision\":")
            out.int(entry.revision)
            out.raw(",\"source_path\":")
            out.string(entry.sourcePath)
            out.raw(",\"status\":")
            out.string(entry.status)
            out.raw(",\"superseded_by\":")
            out.strings(entry.supersededBy)
            out.raw(",\"title\":")
            out.string(entry.title)
            out.raw(entry.uncommitted ? ",\"uncommitted\":true" : ",\"uncommitted\":false")
            out.raw(",\"url\":")
            out.string(entry.url)
            out.raw("}")
        }
        return out.bytes + [0x0A]
    }
}
