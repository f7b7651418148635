import ArgumentParser
import Foundation
import SOPCore
import SopsiteKit

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the static site.",
        discussion: """
        Reads the Markdown files under the content folder of the working tree and their history from Git (libgit2,
        following renames), and writes the site into the output folder. The site is written into a staging folder and
        swapped into place only when there are no errors; every problem is reported in one run, with file and line.

        Examples:
          sopsite build
          sopsite build --repo ../handbook --content procedures --out public
          sopsite build --now 2026-12-01          # reproducible: same commit + same --now = byte-identical site
        """)

    @Option(help: "The repository's top folder.")
    var repo: String = "."

    @Option(help: "The content folder, relative to the repository (default: content: in sopsite.yml, else content).")
    var content: String?

    @Option(help: "The output folder.")
    var out: String = "_site"

    @Option(help: "The day review status is judged on: 2026-12-01 or an ISO 8601 date-time (default: SOURCE_DATE_EPOCH, else today).")
    var now: String?

    @Option(name: .customLong("base-url"), help: "The URL the site is published at, e.g. https://sops.example.com/.")
    var baseURL: String?

    @Option(help: "A theme folder whose templates and assets override the built-in theme's by name.")
    var theme: String?

    @Flag(help: "Replace the contents of a non-empty output folder that sopsite did not create.")
    var force = false

    @Flag(help: "Publish documents with status: draft too (for a writer's preview).")
    var drafts = false

    @Flag(name: .customLong("committed-only"), help: "Build what is committed only: leave out untracked files and ignore uncommitted edits.")
    var committedOnly = false

    func validate() throws {
        if let now, NowParser.parse(now) == nil {
            throw ValidationError("--now \"\(now)\" is not a date; write 2026-12-01 or 2026-12-01T09:00:00+01:00")
        }
        if now == nil, let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], Int64(epoch) == nil {
            throw ValidationError("SOURCE_DATE_EPOCH \"\(epoch)\" is not a number of seconds since 1970; unset it or pass --now")
        }
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) || baseURL.contains(" ") {
            throw ValidationError("--base-url \"\(baseURL)\" is not an http(s) URL; write for example https://sops.example.com/")
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        // The one clock read of a run (STYLE §6): --now, else SOURCE_DATE_EPOCH, else the current instant.
        let nowSetting: BuildRequest.NowSetting
        if let now, let parsed = NowParser.parse(now) {
            nowSetting = parsed
        } else if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(epoch) {
            nowSetting = .instant(Instant(secondsSinceEpoch: seconds, offsetMinutes: 0))
        } else {
            nowSetting = .instant(Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970), offsetMinutes: 0))
        }
        let request = BuildRequest(repository: repo, content: content, output: out, now: nowSetting, baseURL: baseURL,
                                   themeOverride: theme, force: force, includeDrafts: drafts,
                                   committedOnly: committedOnly)
        let report = await BuildPipeline.run(request)
        for diagnostic in report.diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        let warnings = report.diagnostics.count - errors
        let isUsageProblem = report.diagnostics.contains { $0.severity == .error && BuildPipeline.usageCodes.contains($0.code) }
        if report.succeeded {
            print("Built \(report.pages) SOPs in \(report.processes) processes from \(report.commitsWalked) commits into \(report.outputPath): "
                  + "\(report.overdue) overdue, \(report.dueSoon) due soon as of \(report.now?.iso ?? "?")"
                  + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")
                  + String(format: " (%.2f s)", seconds))
        } else {
            FileHandle.standardError.write(Data("Build failed: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); nothing was written.\n".utf8))
            throw ExitCode(isUsageProblem ? ExitStatus.usage.rawValue : ExitStatus.problems.rawValue)
        }
    }
}

enum NowParser {
    /// A day, an instant with an offset, or a local date-time without one (its date is the day: the site's calendar is
    /// the only one sopsite knows, so a time without an offset cannot move it).
    static func parse(_ text: String) -> BuildRequest.NowSetting? {
        if let day = Day(iso: text) { return .day(day) }
        if let instant = Instant(iso8601: text) { return .instant(instant) }
        if text.count >= 16, text.dropFirst(10).first == "T", Instant(iso8601: String(text.prefix(19)) + "Z") != nil || Instant(iso8601: String(text.prefix(16)) + ":00Z") != nil,
           let day = Day(iso: text.prefix(10)) {
            return .day(day)
        }
        return nil
    }
}
