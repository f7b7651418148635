import SOPCore
import Testing

@Suite struct CalendarTests {
    @Test("adding months clamps to the month's end", arguments: [
        (Day(2025, 1, 31), 1, Day(2025, 2, 28)), (Day(2024, 1, 31), 1, Day(2024, 2, 29)), (Day(2025, 8, 31), 6, Day(2026, 2, 28)),
        (Day(2025, 11, 15), 3, Day(2026, 2, 15)), (Day(2025, 3, 31), -1, Day(2025, 2, 28)), (Day(2023, 6, 29), 12, Day(2024, 6, 29)),
    ])
    func addingMonths(start: Day, months: Int, expected: Day) {
        #expect(start.adding(months: months) == expected)
    }

    @Test("days since the epoch round-trip across centuries and leap days")
    func epochRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(Day(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(Day(2000, 3, 1).daysSinceEpoch - Day(2000, 2, 28).daysSinceEpoch == 2)
        #expect(Day(1970, 1, 1).daysSinceEpoch == 0)
    }

    @Test("instants print as git log --format=%aI does", arguments: [
        (Instant(secondsSinceEpoch: 1_688_081_400, offsetMinutes: 480), "2023-06-30T07:30:00+08:00"),
        (Instant(secondsSinceEpoch: 1_672_551_000, offsetMinutes: -300), "2023-01-01T00:30:00-05:00"),
        (Instant(secondsSinceEpoch: 0, offsetMinutes: 0), "1970-01-01T00:00:00+00:00"),
        (Instant(secondsSinceEpoch: 1_600_000_000, offsetMinutes: 330), "2020-09-13T17:56:40+05:30"),
        (Instant(secondsSinceEpoch: -1, offsetMinutes: -570), "1969-12-31T14:29:59-09:30"),
        (Instant(secondsSinceEpoch: 1_700_000_000, offsetMinutes: 840), "2023-11-15T12:13:20+14:00"),
        (Instant(secondsSinceEpoch: 253_402_300_799, offsetMinutes: 0), "9999-12-31T23:59:59+00:00"),
    ])
    func instantFormat(instant: Instant, expected: String) {
        #expect(instant.iso8601 == expected)
        #expect(Instant(iso8601: expected) == instant)
    }

    @Test("strict day parsing", arguments: ["2025-02-29", "2025-13-01", "25-01-01", "2025-1-1", "2025-01-01T00:00:00Z", "+123-01-01", "-123-01-01",
                                               "2025-01-0x", "2025-00-10", "2025_01_01", "２０２５-01-01", ""])
    func badDays(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test("good days parse to their fields and back", arguments: ["2024-02-29", "0001-01-01", "1969-12-31", "9999-12-31", "2025-11-30"])
    func goodDays(text: String) throws {
        let day = try #require(Day(iso: text))
        #expect(day.iso == text)
        #expect(Day(iso: Substring(text)) == day)
    }

    @Test("front matter splits with the lines it starts on")
    func frontMatterSplit() throws {
        let split = try FrontMatterSplit.split("---\ntitle: A\n---\n# A\n")
        #expect(split.yaml == "title: A")
        #expect(split.bodyFirstLine == 4)
        #expect(split.body == "# A\n")
        #expect(throws: FrontMatterSplit.Failure.unclosed(openingLine: 1)) { try FrontMatterSplit.split("---\ntitle: A\n") }
        #expect(FrontMatterSplit.normalise("\u{FEFF}a\r\nb\rc\n") == "a\nb\nc\n")
        #expect(FrontMatterSplit.normalise("a\nb") == "a\nb" && FrontMatterSplit.normalise("x\r") == "x\n" && FrontMatterSplit.normalise("\u{FEFF}") == "")
    }
}
