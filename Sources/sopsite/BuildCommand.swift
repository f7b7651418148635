import ArgumentParser
import Foundation
import SOPCore
import SopsiteKit

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the static site.",
        discussion: """
        Reads the Markdown files under the content folder of the working tree and their history from Git (libgit2, \
        following renames), and writes the site into the output folder. The site is written into a staging folder and \
        swapped into place only when there are no errors; every problem is reported in one run, with file and line.

        Examples:
          sopsite build
          sopsite build --repo ../handbook --content procedures --out public
          sopsite build --now 2026-12-01          # reproducible: same commit + same --now = byte-identical site
        """)

    @OptionGroup var source: SourceOptions

    @Option(help: "The output folder (default: output: in sopsite.yml, else _site at the top of the repository).")
    var out: String?

    @Option(name: .customLong("base-url"), help: "The URL the site is published at, e.g. https://sops.example.com/.")
    var baseURL: String?

    @Option(help: "A theme folder whose templates and assets override the built-in theme's by name.")
    var theme: String?

    @Flag(help: "Replace the contents of a non-empty output folder that sopsite did not create.")
    var force = false

    @Flag(name: .customLong("no-revision-pages"), help: "Do not publish pages for earlier revisions (overrides revision_pages: in sopsite.yml).")
    var noRevisionPages = false

    @Flag(help: "Print the time each stage took.")
    var verbose = false

    func validate() throws {
        try source.validate()
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) || baseURL.contains(" ") {
            throw ValidationError("--base-url \"\(baseURL)\" is not an http(s) URL; write for example https://sops.example.com/")
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        var request = BuildRequest(repository: source.repo, content: source.content, output: out, now: source.nowSetting(),
                                   baseURL: baseURL, themeOverride: theme, force: force, includeDrafts: source.drafts,
                                   committedOnly: source.committedOnly)
        request.cache = source.cacheSetting
        if noRevisionPages { request.revisionPages = false }
        request.allowShallow = source.allowShallow
        request.keepsMemoryUntilExit = true
        let report = await ProgressDisplay.whileRunning { await BuildPipeline.run(request) }
        // One write for all (a thousand warnings were a thousand system calls).
        FileHandle.standardError.write(Data(report.diagnostics.map { $0.description + "\n" }.joined().utf8))
        if verbose {
            for timing in report.timings {
                FileHandle.standardError.write(Data(String(format: "%8.3f s  %@\n", timing.seconds, timing.stage).utf8))
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        let warnings = report.diagnostics.count - errors
        if report.succeeded {
            print("Built \(plural(report.pages, "SOP")) in \(plural(report.processes, "process")) from \(plural(report.commitsWalked, "commit")) "
                  + "into \(report.outputPath): \(report.overdue) overdue, \(report.dueSoon) due soon as of \(report.now?.iso ?? "?")"
                  + (warnings > 0 ? ", \(plural(warnings, "warning"))" : "")
                  + (report.reusedSOPs > 0 ? "; \(plural(report.reusedSOPs, "SOP")) unchanged, reused from the cache, "
                     + "\(report.filesRewritten) of the site's \(plural(report.filesWritten, "file")) written" : "")
                  + String(format: " (%.2f s)", seconds))
        } else {
            let isUsageProblem = report.diagnostics.contains { $0.severity == .error && BuildPipeline.usageCodes.contains($0.code) }
            FileHandle.standardError.write(Data("Build failed: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); nothing was written.\n".utf8))
            throw ExitCode(isUsageProblem ? ExitStatus.usage.rawValue : ExitStatus.problems.rawValue)
        }
    }
}

/// "1 SOP", "2 SOPs", "2 processes".
func plural(_ count: Int, _ word: String) -> String {
    "\(count) \(word)\(count == 1 ? "" : word.hasSuffix("s") ? "es" : "s")"
}
