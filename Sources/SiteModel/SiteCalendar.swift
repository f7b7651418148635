import Foundation
import SOPCore

/// Converts Git instants to calendar days in the site's time zone (B05: the build machine's `TZ` never matters).
public struct SiteCalendar: Sendable {
    private let zone: TimeZone

    /// - Returns: nil when `identifier` is not an IANA zone name.
    public init?(timeZone identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
    }

    public func day(of instant: Instant) -> Day {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.secondsSinceEpoch)))
        return instant.day(zoneOffsetSeconds: offset)
    }
}
