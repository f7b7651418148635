import ArgumentParser
import Foundation
import SOPCore
import SopsiteKit

/// Options shared by `build` and `check`: where the SOPs are and which day reviews are judged on.
struct SourceOptions: ParsableArguments {
    @Option(help: "The repository's top folder.")
    var repo: String = "."

    @Option(help: "The content folder, relative to the repository (default: content: in sopsite.yml, else content).")
    var content: String?

    @Option(help: "The day review status is judged on: 2026-12-01 or an ISO 8601 date-time (default: SOURCE_DATE_EPOCH, else today).")
    var now: String?

    @Flag(help: "Include documents with status: draft (for a writer's preview).")
    var drafts = false

    @Flag(name: .customLong("allow-shallow"), help: "Build a shallow clone anyway; every page then says its history is incomplete.")
    var allowShallow = false

    @Flag(name: .customLong("committed-only"), help: "Use what is committed only: leave out untracked files and ignore uncommitted edits.")
    var committedOnly = false

    @Option(help: "Keep history facts and rendered pages here for the next build (default: .build-sopsite/cache in the repository).")
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write a build cache: do all the work (benchmarks, suspected cache trouble).")
    var noCache = false

    /// `--cache`/`--no-cache` as a setting.
    var cacheSetting: CacheSetting {
        if noCache { return .off }
        return cache.map { .folder($0) } ?? .automatic
    }

    func validate() throws {
        if noCache, cache != nil { throw ValidationError("--cache and --no-cache contradict each other; pass one") }
        if let now, NowParser.parse(now) == nil {
            throw ValidationError("--now \"\(now)\" is not a date; write 2026-12-01 or 2026-12-01T09:00:00+01:00")
        }
        if now == nil, let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], Int64(epoch) == nil {
            throw ValidationError("SOURCE_DATE_EPOCH \"\(epoch)\" is not a number of seconds since 1970; unset it or pass --now")
        }
    }

    /// The one clock read of a run (README, Determinism): --now, else SOURCE_DATE_EPOCH, else the current instant.
    func nowSetting() -> BuildRequest.NowSetting {
        if let now, let parsed = NowParser.parse(now) { return parsed }
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(epoch) {
            return .instant(Instant(secondsSinceEpoch: seconds, offsetMinutes: 0))
        }
        return .instant(Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970), offsetMinutes: 0))
    }
}

enum NowParser {
    /// A day, an instant with an offset, or a local date-time without one (its date is the day: the site's calendar is
    /// the only one sopsite knows, so a time without an offset cannot move it).
    static func parse(_ text: String) -> BuildRequest.NowSetting? {
        if let day = Day(iso: text) { return .day(day) }
        if let instant = Instant(iso8601: text) { return .instant(instant) }
        if text.count == 19 || text.count == 16, text.dropFirst(10).first == "T",
           Instant(iso8601: text.count == 19 ? text + "Z" : text + ":00Z") != nil, let day = Day(iso: text.prefix(10)) {
            return .day(day)
        }
        return nil
    }
}
