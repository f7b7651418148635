import Documents
import SiteModel
import SOPCore

/// The review outputs for owners and tools: `review.json`, `register.csv` and one iCalendar feed per owner.
enum ReviewOutputs {
    /// `review.json`: per SOP in force `{id, title, url, owner, owner_name, state, last_review, last_reviewer, evidence, commit,
    /// next_due, days_until_due, interval, interval_reason}`, sorted by urgency (overdue first), then days until due,
    /// then id. `as_of` is the `--now` day.
    static func json(_ site: Site) -> [UInt8] {
        json(asOf: site.now.iso, entries(site))
    }

    /// One SOP's row of `review.json`.
    struct Entry: Encodable {
        let id: String, title: String, url: String
        let owner: String?, ownerName: String?
        let state: String
        let lastReview: String?, lastReviewer: String?, evidence: String?, commit: String?
        let nextDue: String?, daysUntilDue: Int?
        let interval: String, intervalReason: String

        enum CodingKeys: String, CodingKey {
            case id, title, url, owner, state, evidence, commit, interval
            case ownerName = "owner_name", lastReview = "last_review", lastReviewer = "last_reviewer"
            case nextDue = "next_due", daysUntilDue = "days_until_due", intervalReason = "interval_reason"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(url, forKey: .url)
            try c.encode(owner, forKey: .owner)
            try c.encode(ownerName, forKey: .ownerName)
            try c.encode(state, forKey: .state)
            try c.encode(lastReview, forKey: .lastReview)
            try c.encode(lastReviewer, forKey: .lastReviewer)
            try c.encode(evidence, forKey: .evidence)
            try c.encode(commit, forKey: .commit)
            try c.encode(nextDue, forKey: .nextDue)
            try c.encode(daysUntilDue, forKey: .daysUntilDue)
            try c.encode(interval, forKey: .interval)
            try c.encode(intervalReason, forKey: .intervalReason)
        }
    }

    /// The whole file, as `JSONOutput.encode` writes it (the reference, in tests).
    struct File: Encodable {
        let version: Int
        let asOf: String
        let sops: [Entry]
        enum CodingKeys: String, CodingKey { case version, sops; case asOf = "as_of" }
    }

    /// SOPs in force only, as the dashboard, the calendars and `sopsite check` count them: a retired or superseded
    /// SOP is due no review, and a tool reading this file would remind its owner of one.
    static func entries(_ site: Site) -> [Entry] {
        byUrgency(site.pages.filter { !$0.isObsolete }).map { page in
            Entry(id: page.document.id, title: page.document.title, url: site.publishedURL(page.permalink), owner: page.document.owner,
                  ownerName: page.owner?.name, state: page.review.state.rawValue, lastReview: page.lastReview?.day.iso,
                  lastReviewer: page.lastReview?.reviewer, evidence: page.lastReview?.kind.rawValue, commit: page.lastReview?.commitID,
                  nextDue: page.review.nextDue?.iso, daysUntilDue: page.review.daysUntilDue, interval: page.review.interval.description,
                  intervalReason: page.review.intervalSource.explanation)
        }
    }

    /// `JSONOutput.encode(File(version: 1, asOf:, sops: entries))` written by hand (sorted keys, the same escapes;
    /// tested byte for byte): through JSONEncoder it was a third of the site's own pages.
    static func json(asOf: String, _ entries: [Entry]) -> [UInt8] {
        var out = JSONWriter(capacity: entries.count * 400 + 64)
        out.raw("{\"as_of\":")
        out.string(asOf)
        out.raw(",\"sops\":")
        out.array(entries) { out, entry in
            out.raw("{\"commit\":")
            out.string(entry.commit)
            out.raw(",\"days_until_due\":")
            out.int(entry.daysUntilDue)
            out.raw(",\"evidence\":")
            out.string(entry.evidence)
            out.raw(",\"id\":")
            out.string(entry.id)
            out.raw(",\"interval\":")
            out.string(entry.interval)
            out.raw(",\"interval_reason\":")
            out.string(entry.intervalReason)
            out.raw(",\"last_review\":")
            out.string(entry.lastReview)
            out.raw(",\"last_reviewer\":")
            out.string(entry.lastReviewer)
            out.raw(",\"next_due\":")
            out.string(entry.nextDue)
            out.raw(",\"owner\":")
            out.string(entry.owner)
            out.raw(",\"owner_name\":")
            out.string(entry.ownerName)
            out.raw(",\"state\":")
            out.string(entry.state)
            out.raw(",\"title\":")
            out.string(entry.title)
            out.raw(",\"url\":")
            out.string(entry.url)
            out.raw("}")
        }
        out.raw(",\"version\":1}\n")
        return out.bytes
    }

    /// SOPs sorted by urgency (overdue, due soon, never reviewed, current), then days until due, then id.
    static func byUrgency(_ pages: [SOPPage]) -> [SOPPage] {
        // Indices sorted, not pages: moving SOPPage values (large ones) cost more than comparing them.
        pages.indices.sorted { a, b in
            let (x, y) = (pages[a], pages[b])
            return (x.review.state.urgency, x.review.daysUntilDue ?? Int.max, x.document.id, x.document.path.value)
                < (y.review.state.urgency, y.review.daysUntilDue ?? Int.max, y.document.id, y.document.path.value)
        }.map { pages[$0] }
    }

    /// `register.csv` (RFC 4180, CRLF line ends): the document register an auditor asks for.
    static func register(_ site: Site) -> [UInt8] {
        var lines = [["id", "title", "type", "process", "revision", "status", "effective_date", "owner", "last_review", "next_due", "review_state"]]
        for page in site.pages {
            lines.append([page.document.id, page.document.title, page.document.kind.rawValue, page.document.processKey ?? "",
                          String(page.revision), page.isObsolete && page.document.status != .retired ? "superseded" : page.document.status.rawValue,
                          page.document.effectiveDate?.iso ?? "", page.owner?.name ?? page.document.owner ?? "",
                          page.lastReview?.day.iso ?? "", page.review.nextDue?.iso ?? "", page.review.state.rawValue])
        }
        return Array(lines.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }

    static func csvField(_ value: String) -> String {
        // Quoted when it holds a comma, quote or line break; a leading =, +, - or @ is prefixed with ' so a
        // spreadsheet does not run it as a formula (OWASP CSV injection).
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One iCalendar feed (RFC 5545) per owner page (`SiteRenderer.pagesByOwner`): an all-day event on each SOP's next
    /// due date.
    /// - Returns: (path, bytes) pairs, sorted by owner page.
    static func calendars(_ site: Site) -> [OutputFile] {
        let due = site.pages.filter { $0.review.nextDue != nil && !$0.isObsolete }
        // DTSTAMP must be a UTC date-time; the build's --now day keeps it deterministic.
        let stamp = compact(site.now) + "T000000Z"
        return SiteRenderer.pagesByOwner(due, owners: site.owners).map { slug, owner, pages -> OutputFile in
            let name = site.owners[owner]?.name ?? owner
            var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sopsite//Review calendar//EN", "CALSCALE:GREGORIAN",
                         "METHOD:PUBLISH", "X-WR-CALNAME:" + text("SOP reviews: " + name)]
            for page in pages.sorted(by: { ($0.review.nextDue!, $0.document.id) < ($1.review.nextDue!, $1.document.id) }) {
                let due = page.review.nextDue!
                lines += ["BEGIN:VEVENT",
                          "UID:" + text("review-\(page.document.id)-\(due.iso)@sopsite"),
                          "DTSTAMP:" + stamp,
                          "DTSTART;VALUE=DATE:" + compact(due),
                          "DTEND;VALUE=DATE:" + compact(due.adding(days: 1)),
                          "SUMMARY:" + text("Review due: \(page.document.id) \(page.document.title)"),
                          "DESCRIPTION:" + text("Review \(page.document.title) (every \(page.review.interval), \(page.review.intervalSource.explanation)). "
                                                + "Last review: \(page.lastReview?.day.long ?? "none on record")."),
                          "TRANSP:TRANSPARENT"]
                if !site.config.baseURL.isEmpty { lines.append("URL:" + text(site.publishedURL(page.permalink))) }
                lines.append("END:VEVENT")
            }
            lines.append("END:VCALENDAR")
            return OutputFile(path: "reviews/\(slug).ics", text: lines.map(fold).joined(separator: "\r\n") + "\r\n")
        }
    }

    private static func compact(_ day: Day) -> String { String(day.iso.filter { $0 != "-" }) }

    /// TEXT value escaping (RFC 5545 §3.3.11): `\`, `;` and `,` escaped with a backslash, line endings of any kind
    /// written `\n` (a bare CR would end the content line, RFC 5545 §3.1). On bytes: through Foundation's
    /// `replacingOccurrences`, the calendars were a tenth of building the site's own pages.
    static func text(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 8)
        var bytes = value.utf8.makeIterator()
        var next = bytes.next()
        while let byte = next {
            next = bytes.next()
            switch byte {
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case UInt8(ascii: ";"), UInt8(ascii: ","): out += [0x5C, byte]
            case 0x0D:
                out += [0x5C, UInt8(ascii: "n")]
                if next == 0x0A { next = bytes.next() }
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out: [UInt8] = []
        var count = 0
        for byte in line.utf8 {
            // A sequence's size is known from its lead byte; continuation bytes (10xxxxxx) follow it unfolded.
            if byte & 0xC0 != 0x80 {
                let size = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                if count + size > 75 {
                    out += [0x0D, 0x0A, 0x20]
                    count = 1
                }
                count += size
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
