/// A calendar day (proleptic Gregorian), in whatever time zone the caller chose: the site's, never the build machine's.
///
/// Arithmetic is done on days since 1970-01-01 with Howard Hinnant's civil-calendar algorithms, so no Foundation
/// calendar, locale or time zone is involved.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (negative before).
    public init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Parses `yyyy-MM-dd` strictly; `nil` for anything else or an impossible date.
    public init?(iso string: some StringProtocol) {
        // On bytes: every cached search entry's due day is read on each rebuild, and splitting into substrings cost
        // microseconds a day. Ten ASCII bytes, digits but for the two dashes (no sign, as `Int` would allow).
        var y = 0, m = 0, d = 0, position = 0
        for byte in string.utf8 {
            switch position {
            case 4, 7:
                guard byte == UInt8(ascii: "-") else { return nil }
            case 0..<10:
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                let digit = Int(byte - 0x30)
                if position < 4 { y = y * 10 + digit } else if position < 7 { m = m * 10 + digit } else { d = d * 10 + digit }
            default:
                return nil
            }
            position += 1
        }
        guard position == 10 else { return nil }
        guard (1...12).contains(m), (1...Day.daysIn(month: m, year: y)).contains(d) else { return nil }
        self.init(y, m, d)
    }

    /// `yyyy-MM-dd`.
    public var iso: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var description: String { iso }

    /// `29 June 2023`: the long form GOV.UK's style guide uses, from a fixed month table (no locale).
    public var long: String { "\(day) \(Day.monthNames[month - 1]) \(year)" }

    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                    "August", "September", "October", "November", "December"]

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    /// Adds calendar months; the day is clamped to the month's length (31 January + 1 month = 28/29 February),
    /// as `java.time` and ISO 8601 duration arithmetic do.
    public func adding(months: Int) -> Day {
        let total = year * 12 + (month - 1) + months
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        return Day(y, m, min(day, Day.daysIn(month: m, year: y)))
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: Day) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(iso: string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a yyyy-MM-dd date: \(string)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
