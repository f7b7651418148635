import Documents
import SOPCore

/// How fresh an SOP is on a given day.
public enum ReviewState: String, Sendable, Codable, CaseIterable {
    case current
    case dueSoon = "due-soon"
    case overdue
    /// No review evidence at all: not in Git yet and no hand-written review date.
    case neverReviewed = "never-reviewed"

    /// The badge text: the state in words, never by colour alone.
    public var label: String {
        switch self {
        case .current: "Current"
        case .dueSoon: "Review due soon"
        case .overdue: "Review overdue"
        case .neverReviewed: "Never reviewed"
        }
    }

    /// Order of concern, most urgent first: overdue, due soon, never reviewed, current.
    public var urgency: Int {
        switch self {
        case .overdue: 0
        case .dueSoon: 1
        case .neverReviewed: 2
        case .current: 3
        }
    }
}

/// Why an SOP's interval is what it is, in words shown on the page.
public enum IntervalSource: Sendable, Equatable {
    case document
    case process(title: String)
    case criticality(level: String, process: String?)
    case siteDefault

    /// "set on this page", "from process Client onboarding", "criticality high, from process Client onboarding".
    public var explanation: String {
        switch self {
        case .document: "set on this page"
        case .process(let title): "from process \(title)"
        case .criticality(let level, let process): "criticality \(level)" + (process.map { ", from process \($0)" } ?? "")
        case .siteDefault: "site default"
        }
    }
}

/// An SOP's review facts on `now`.
public struct ReviewStatus: Sendable, Equatable {
    public let state: ReviewState
    public let interval: ReviewInterval
    public let intervalSource: IntervalSource
    /// The day of the last review, nil when there is no evidence.
    public let lastReview: Day?
    /// `lastReview + interval`, nil without evidence.
    public let nextDue: Day?
    /// Days from `now` to `nextDue` (negative when overdue).
    public let daysUntilDue: Int?
}

/// The one place that decides staleness (GOV.UK tech docs keep it in one object too: `page_review.rb`).
public enum ReviewPolicy {
    /// Next review due = last review + interval (calendar months, clamped to the month's end; then days). On the due
    /// day itself a review is *due soon*; *overdue* from the day after; *due soon* from `dueSoonDays` before it.
    public static func status(lastReview: Day?, interval: ReviewInterval, source: IntervalSource, now: Day,
                              dueSoonDays: Int) -> ReviewStatus {
        guard let lastReview else {
            return ReviewStatus(state: .neverReviewed, interval: interval, intervalSource: source, lastReview: nil, nextDue: nil,
                                daysUntilDue: nil)
        }
        let due = lastReview.adding(months: interval.months).adding(days: interval.days)
        let remaining = now.days(until: due)
        let state: ReviewState = remaining < 0 ? .overdue : remaining <= dueSoonDays ? .dueSoon : .current
        return ReviewStatus(state: state, interval: interval, intervalSource: source, lastReview: lastReview, nextDue: due,
                            daysUntilDue: remaining)
    }

    /// The interval and why: the SOP's own, else its process's, else by criticality (its own, else its process's),
    /// else the site default.
    public static func interval(for document: Document, process: Document?, config: SiteConfig) -> (ReviewInterval, IntervalSource) {
        if let own = document.reviewInterval { return (own, .document) }
        if let process, let inherited = process.reviewInterval { return (inherited, .process(title: process.title)) }
        if let level = document.criticality, let interval = config.intervalByCriticality[level] {
            return (interval, .criticality(level: level, process: nil))
        }
        if let process, let level = process.criticality, let interval = config.intervalByCriticality[level] {
            return (interval, .criticality(level: level, process: process.title))
        }
        return (config.defaultInterval, .siteDefault)
    }
}
