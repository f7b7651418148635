import Foundation
import SOPCore

/// Converts Git instants to calendar days in the site's time zone (B05: the build machine's `TZ` never matters).
public struct SiteCalendar: Sendable {
    private let zone: TimeZone
    /// UTC and its aliases (the default): no zone rules to ask for each of 10,000 commits.
    private let isUTC: Bool

    /// - Returns: nil when `identifier` is not an IANA zone name.
    public init?(timeZone identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
        isUTC = ["UTC", "Etc/UTC", "UCT", "Etc/UCT", "GMT", "Etc/GMT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"].contains(identifier)
    }

    public func day(of instant: Instant) -> Day {
        let offset = isUTC ? 0 : zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.secondsSinceEpoch)))
        return instant.day(zoneOffsetSeconds: offset)
    }
}
