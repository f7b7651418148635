import Documents
import SOPCore

/// How fresh an SOP is on a given day.
public enum ReviewState: String, Sendable, Codable, CaseIterable {
    case current
    case dueSoon = "due-soon"
    case overdue
    /// The file is not in Git yet, so it has never been reviewed.
    case notCommitted = "not-committed"

    /// The badge text.
    public var label: String {
        switch self {
        case .current: "Current"
        case .dueSoon: "Review due soon"
        case .overdue: "Review overdue"
        case .notCommitted: "Not committed yet"
        }
    }
}

/// Why an SOP's interval is what it is, in words shown on the page.
public enum IntervalSource: Sendable, Equatable {
    case document
    case process(title: String)
    case siteDefault

    public var explanation: String {
        switch self {
        case .document: "set on this page"
        case .process(let title): "from process \(title)"
        case .siteDefault: "site default"
        }
    }
}

/// An SOP's review facts on `now`.
public struct ReviewStatus: Sendable, Equatable {
    public let state: ReviewState
    public let interval: ReviewInterval
    public let intervalSource: IntervalSource
    /// The day of the last review (first cut: the last change in Git), nil when never committed.
    public let lastReview: Day?
    /// `lastReview + interval`, nil when never committed.
    public let nextDue: Day?
    /// Days from `now` to `nextDue` (negative when overdue).
    public let daysUntilDue: Int?
}

/// The one place that decides staleness (GOV.UK tech docs keep it in one object too: `page_review.rb`).
public enum ReviewPolicy {
    /// Next review due = last review + interval (calendar months, clamped to the month's end); *overdue* from the day
    /// after it, *due soon* within `dueSoonDays` before it, else *current*.
    public static func status(lastReview: Day?, interval: ReviewInterval, source: IntervalSource, now: Day,
                              dueSoonDays: Int) -> ReviewStatus {
        guard let lastReview else {
            return ReviewStatus(state: .notCommitted, interval: interval, intervalSource: source, lastReview: nil, nextDue: nil,
                                daysUntilDue: nil)
        }
        let due = lastReview.adding(months: interval.months).adding(days: interval.days)
        let remaining = now.days(until: due)
        let state: ReviewState = remaining < 0 ? .overdue : remaining <= dueSoonDays ? .dueSoon : .current
        return ReviewStatus(state: state, interval: interval, intervalSource: source, lastReview: lastReview, nextDue: due,
                            daysUntilDue: remaining)
    }
}
