import Foundation
/// A calendar period between reviews: whole months (a year is 12) or whole days; never seconds.
///
/// Accepted forms, as writers use them and as ISO 8601 durations: `6 months`, `1 month`, `1 year`, `2 years`,
/// `90 days`, `2 weeks`, `quarterly`, `yearly`, `P6M`, `P1Y`, `P90D`, `P2W`, and the compact `365d`, `2w`, `6m`, `1y`.
public struct ReviewInterval: Hashable, Sendable, CustomStringConvertible {
    public let months: Int
    public let days: Int

    public init(months: Int = 0, days: Int = 0) {
        self.months = months
        self.days = days
    }

    /// The site default when nothing else sets one: 12 months.
    public static let defaultInterval = ReviewInterval(months: 12)

    /// What to write instead of a bad value.
    public static let acceptedForms = "write a positive period of at most 100 years: \"6 months\", \"1 year\", \"90 days\", \"2 weeks\" or an ISO 8601 period such as \"P6M\""

    /// The longest accepted period, 100 years (in months, and in days for day counts): longer ones are typos, and
    /// bounding every count keeps the arithmetic on written numbers from overflowing.
    public static let maximumMonths = 1_200
    public static let maximumDays = 36_525

    /// Parses a period; nil when the text is not one of the accepted forms, is zero or is longer than 100 years.
    public init?(parsing text: String) {
        guard let parsed = Self.parse(text), parsed.months <= Self.maximumMonths, parsed.days <= Self.maximumDays else { return nil }
        self = parsed
    }

    private static func parse(_ text: String) -> ReviewInterval? {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch value {
        case "monthly": return ReviewInterval(months: 1)
        case "quarterly": return ReviewInterval(months: 3)
        case "semi-annually", "semiannually", "half-yearly": return ReviewInterval(months: 6)
        case "yearly", "annually", "annual": return ReviewInterval(months: 12)
        default: break
        }
        if value.hasPrefix("p") {
            // ISO 8601 period of years, months, weeks and days (P1Y6M, P2W, P1M15D); no time part.
            var months = 0, days = 0, number = "", seen = ""
            for character in value.dropFirst() {
                if character.isNumber {
                    number.append(character)
                    continue
                }
                guard let count = Int(number), count <= maximumDays, !seen.contains(character), "ymwd".contains(character) else { return nil }
                switch character {
                case "y": months += count * 12
                case "m": months += count
                case "w": days += count * 7
                default: days += count
                }
                seen.append(character)
                number = ""
            }
            guard number.isEmpty, months + days > 0 else { return nil }
            return ReviewInterval(months: months, days: days)
        }
        // Compact forms seen in real repositories: "365d", "2w", "6m", "1y" (m is months: reviews are never minutes).
        if let unit = value.last, "dwmy".contains(unit), let number = Int(value.dropLast()), number > 0, number <= maximumDays {
            switch unit {
            case "d": return ReviewInterval(days: number)
            case "w": return ReviewInterval(days: number * 7)
            case "m": return ReviewInterval(months: number)
            default: return ReviewInterval(months: number * 12)
            }
        }
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let number = Int(parts[0]), number > 0, number <= maximumDays else { return nil }
        switch parts[1] {
        case "year", "years": return ReviewInterval(months: number * 12)
        case "month", "months": return ReviewInterval(months: number)
        case "week", "weeks": return ReviewInterval(days: number * 7)
        case "day", "days": return ReviewInterval(days: number)
        default: return nil
        }
    }

    /// `6 months`, `1 year`, `90 days`.
    public var description: String {
        if days == 0 {
            if months % 12 == 0 { return months == 12 ? "1 year" : "\(months / 12) years" }
            return months == 1 ? "1 month" : "\(months) months"
        }
        if months == 0 { return days == 1 ? "1 day" : "\(days) days" }
        return "\(months) months \(days) days"
    }
}

