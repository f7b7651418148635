import Foundation
import ArgumentParser

/// The `sopsite` command: parses arguments, calls SopsiteKit, prints, and maps results to exit codes.
@main
struct Sopsite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sopsite",
        abstract: "Turn a Git repository of Markdown SOPs into a searchable knowledge-base site, with document control from Git.",
        discussion: """
        Examples:
          sopsite build                                  # content/ of the repository in the current folder → _site/
          sopsite build --repo ~/sops --out /tmp/site    # another repository, another output folder
          sopsite build --content . --now 2026-12-01     # Markdown at the top of the repository; judge reviews on a fixed day
          sopsite serve                                  # preview on http://127.0.0.1:8000/, rebuilt on every save
          sopsite log content/support/refund.md          # the history behind a page: each commit's kind and revision
          sopsite new procedure "How to …" --process customer-support
        """,
        version: "0.1.0",
        subcommands: [BuildCommand.self, CheckCommand.self, LogCommand.self, ServeCommand.self, NewCommand.self],
        defaultSubcommand: nil
    )

    /// Runs the command with our exit codes: usage errors exit 2 (ArgumentParser would use 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// Exit codes, mapped explicitly (ArgumentParser's default for usage errors is 64).
enum ExitStatus: Int32 {
    case success = 0
    /// Problems in the content (or the output folder was refused): nothing was written.
    case problems = 1
    /// The command line was wrong.
    case usage = 2
}
