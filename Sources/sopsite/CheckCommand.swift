import ArgumentParser
import Foundation
import SOPCore
import SopsiteKit

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the content and apply the review policy, without writing a site (the CI gate).",
        discussion: """
        Reports everything `build` validates, and as errors: SOPs overdue for review (see --fail-on), SOPs without an \
        owner, owners missing from the owners file, broken links and images, review trailers naming unknown ids, and a \
        shallow clone.

        Exit status: 0 clean, 1 problems, 2 usage errors.

        Examples:
          sopsite check
          sopsite check --fail-on due-soon --format github     # annotations on the pull request
          sopsite check --format json > problems.json
        """)

    @OptionGroup var source: SourceOptions

    @Option(name: .customLong("fail-on"), help: "Review states that fail the check: overdue (default), due-soon, or never.")
    var failOn: String = "overdue"

    @Option(help: "Output: text (one line per problem), json, or github (workflow annotations).")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, github
    }

    func validate() throws {
        try source.validate()
        guard failOn == "never" || BuildRequest.ReviewThreshold(rawValue: failOn) != nil else {
            throw ValidationError("--fail-on \"\(failOn)\" is not one of overdue, due-soon, never")
        }
    }

    func run() async throws {
        var request = BuildRequest(repository: source.repo, content: source.content, output: "_site", now: source.nowSetting(),
                                   includeDrafts: source.drafts, committedOnly: source.committedOnly)
        request.cache = source.cacheSetting
        request.allowShallow = source.allowShallow
        request.mode = .check(failOn: failOn == "never" ? nil : BuildRequest.ReviewThreshold(rawValue: failOn))
        let report = await BuildPipeline.run(request)
        let errors = report.diagnostics.filter { $0.severity == .error }
        switch format {
        case .text:
            for diagnostic in report.diagnostics { print(diagnostic.description) }
            print("Checked \(plural(report.pages, "SOP")) as of \(report.now?.iso ?? "?"): \(errors.count) problem\(errors.count == 1 ? "" : "s"), "
                  + "\(report.diagnostics.count - errors.count) warning\(report.diagnostics.count - errors.count == 1 ? "" : "s")")
        case .json:
            print(CheckOutput.json(report))
        case .github:
            for diagnostic in report.diagnostics { print(CheckOutput.githubAnnotation(diagnostic)) }
        }
        if errors.contains(where: { BuildPipeline.usageCodes.contains($0.code) }) { throw ExitCode(ExitStatus.usage.rawValue) }
        if !errors.isEmpty { throw ExitCode(ExitStatus.problems.rawValue) }
    }
}

enum CheckOutput {
    /// `{"as_of", "pages", "errors", "warnings", "problems": [Diagnostic…]}` with sorted keys.
    static func json(_ report: BuildReport) -> String {
        struct Payload: Encodable {
            let asOf: String
            let pages: Int
            let errors: Int
            let warnings: Int
            let problems: [Diagnostic]
            enum CodingKeys: String, CodingKey { case pages, errors, warnings, problems; case asOf = "as_of" }
        }
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        let payload = Payload(asOf: report.now?.iso ?? "", pages: report.pages, errors: errors,
                              warnings: report.diagnostics.count - errors, problems: report.diagnostics)
        return (try? encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A GitHub Actions workflow command (`::error file=…,line=…,title=…::message`), escaped as the runner requires:
    /// `%`, CR and LF everywhere; also `:` and `,` in properties.
    static func githubAnnotation(_ diagnostic: Diagnostic) -> String {
        func data(_ text: String) -> String {
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        }
        func property(_ text: String) -> String { data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
        var properties: [String] = []
        if !diagnostic.location.path.value.isEmpty, !diagnostic.location.path.value.hasPrefix("commit ") {
            properties.append("file=" + property(diagnostic.location.path.value))
            if let line = diagnostic.location.line { properties.append("line=\(line)") }
        }
        properties.append("title=" + property(diagnostic.code))
        let message = diagnostic.message + (diagnostic.fix.map { "; " + $0 } ?? "")
        let kind = diagnostic.severity == .error ? "error" : "warning"
        return "::\(kind) \(properties.joined(separator: ","))::\(data(message))"
    }
}
