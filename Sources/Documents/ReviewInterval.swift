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
    public static let acceptedForms = "write a positive period: \"6 months\", \"1 year\", \"90 days\", \"2 weeks\" or an ISO 8601 period such as \"P6M\""

    /// Parses a period; nil when the text is not one of the accepted forms or is zero.
    public init?(parsing text: String) {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch value {
        case "monthly": self.init(months: 1); return
        case "quarterly": self.init(months: 3); return
        case "semi-annually", "semiannually", "half-yearly": self.init(months: 6); return
        case "yearly", "annually", "annual": self.init(months: 12); return
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
                guard let count = Int(number), !seen.contains(character), "ymwd".contains(character) else { return nil }
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
            self.init(months: months, days: days)
            return
        }
        // Compact forms seen in real repositories: "365d", "2w", "6m", "1y" (m is months: reviews are never minutes).
        if let unit = value.last, "dwmy".contains(unit), let number = Int(value.dropLast()), number > 0 {
            switch unit {
            case "d": self.init(days: number)
            case "w": self.init(days: number * 7)
            case "m": self.init(months: number)
            default: self.init(months: number * 12)
            }
            return
        }
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let number = Int(parts[0]), number > 0 else { return nil }
        switch parts[1] {
        case "year", "years": self.init(months: number * 12)
        case "month", "months": self.init(months: number)
        case "week", "weeks": self.init(days: number * 7)
        case "day", "days": self.init(days: number)
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

