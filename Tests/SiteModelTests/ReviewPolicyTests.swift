import Documents
@testable import SiteModel
import SOPCore
import Testing

@Suite struct ReviewPolicyTests {
    func state(last: Day, months: Int, now: Day) -> ReviewState {
        ReviewPolicy.status(lastReview: last, interval: ReviewInterval(months: months), source: .siteDefault, now: now, dueSoonDays: 30).state
    }

    @Test("current, due soon within 30 days, overdue from the day after the due date")
    func boundaries() {
        let last = Day(2025, 1, 15)  // due 2025-07-15 at 6 months
        #expect(state(last: last, months: 6, now: Day(2025, 6, 14)) == .current)
        #expect(state(last: last, months: 6, now: Day(2025, 6, 15)) == .dueSoon)
        #expect(state(last: last, months: 6, now: Day(2025, 7, 15)) == .dueSoon)
        #expect(state(last: last, months: 6, now: Day(2025, 7, 16)) == .overdue)
    }

    @Test("a never-committed SOP has no due date")
    func notCommitted() {
        let status = ReviewPolicy.status(lastReview: nil, interval: .defaultInterval, source: .siteDefault, now: Day(2025, 1, 1), dueSoonDays: 30)
        #expect(status.state == .neverReviewed)
        #expect(status.nextDue == nil)
    }

    @Test("the calendar day of an instant follows the site's time zone, not the machine's (B05)", arguments: [
        ("UTC", Day(2023, 6, 29), Day(2023, 1, 1)), ("Asia/Shanghai", Day(2023, 6, 30), Day(2023, 1, 1)),
        ("America/Los_Angeles", Day(2023, 6, 29), Day(2022, 12, 31)),
    ])
    func timeZones(zone: String, power: Day, checklist: Day) throws {
        let calendar = try #require(SiteCalendar(timeZone: zone))
        #expect(calendar.day(of: try #require(Instant(iso8601: "2023-06-30T07:30:00+08:00"))) == power)
        #expect(calendar.day(of: try #require(Instant(iso8601: "2023-01-01T00:30:00-05:00"))) == checklist)
    }

    @Test("permalinks and relative links", arguments: [
        ("/a/b/", "/c/d/", "../../c/d/"), ("/a/b/", "/a/c/", "../c/"), ("/", "/a/", "a/"), ("/a/b/", "/a/img/x.svg", "../img/x.svg"),
        ("/a/", "/procédures/redémarrage/", "../proc%C3%A9dures/red%C3%A9marrage/"),
        ("/a/b/", "/a/b/", "./"), ("/a/b/", "/", "../../"), ("/", "/", "./"), ("/a//b/", "/a/x.png", "../x.png"),
        // From a file URL (a revision page): links go from its folder.
        ("/sop/x/rev/3.html", "/a/b/", "../../../a/b/"), ("/sop/x/rev/3.html", "/sop/x/rev/2.html", "2.html"),
        ("/sop/x/rev/3.html", "/", "../../../"),
    ])
    func relativeLinks(from: String, to: String, expected: String) {
        #expect(Permalink.relative(from: from, to: to) == expected)
    }

    @Test("slugs keep letters of any script and drop punctuation", arguments: [
        ("Process a Refund", "process-a-refund"), ("redémarrage", "redémarrage"), ("再起動", "再起動"), ("What's new?", "whats-new"),
        ("accounts/approve-laptop", "accounts-approve-laptop"),
    ])
    func slugs(text: String, expected: String) {
        #expect(Permalink.slug(text) == expected)
    }

    @Test("ASCII slugs made on bytes are the scalar definition's")
    func asciiSlugs() {
        var generator = SystemRandomNumberGenerator()
        var texts = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["", "...", "-a-", "a--b", "A'B", " x ", "a\tb\nc", "..a", "a/./b", "-'-"]
        let alphabet = Array("aZ09 -_./'\t\n\r\u{0B}\u{0C}!?#%&()".unicodeScalars)
        for _ in 0..<2_000 {
            texts.append(String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })))
        }
        for text in texts { #expect(Permalink.slug(text) == Permalink.scalarSlug(text), "\(text.debugDescription)") }
    }

    @Test("page URLs made on bytes are the URLs of the components' scalar slugs")
    func asciiPageURLs() {
        var generator = SystemRandomNumberGenerator()
        var paths = ["", "/", "a", "a//b", "/a/", "..", ".", "./a", "A B/C-D", "x'y/z", "---/a", "a/./b", "Customer Support/Refund.md", "..a/b"]
        let alphabet = Array("aZ09 -_./'//\t!".unicodeScalars)
        for _ in 0..<2_000 {
            paths.append(String(String.UnicodeScalarView((0..<Int.random(in: 0...16, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })))
        }
        for path in paths {
            let parts = path.split(separator: "/").map { Permalink.scalarSlug(String($0)) }
            #expect(Permalink.page(forContentPath: path) == (parts.isEmpty ? "/" : "/" + parts.joined(separator: "/") + "/"), "\(path.debugDescription)")
        }
    }
}

@Suite struct SlugSafetyTests {
    @Test("no slug is a folder climb or a dot folder", arguments: ["..", "-..", ".", "-.-", "..."])
    func dots(name: String) {
        #expect(Permalink.slug(name) == "page")
    }
}
