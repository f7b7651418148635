import ArgumentParser
import Foundation
import SOPCore
import SopsiteKit

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new procedure or process from a template.",
        discussion: """
        Writes the file and prints its path; it never overwrites a file (exit 1 when the file exists, 2 for a wrong \
        command line such as an unknown process).

        Examples:
          sopsite new procedure "How to process a customer refund" --process customer-support
          sopsite new procedure "How to issue a gift card" --process "Customer support" --owner @dana
          sopsite new process "Returns handling" --owner sofia
          $EDITOR "$(sopsite new procedure "How to close a ticket" --process customer-support)"
        """,
        subcommands: [NewProcedureCommand.self, NewProcessCommand.self])
}

/// Where the repository and its content folder are (as for build).
struct NewLocationOptions: ParsableArguments {
    @Option(help: "The repository's top folder.")
    var repo: String = "."

    @Option(help: "The content folder, relative to the repository (default: content: in sopsite.yml, else content).")
    var content: String?

    /// `path` as the user reaches it from the working folder: under `--repo` as they spelt it.
    func shown(_ path: RepoPath) -> String {
        let trimmed = repo.hasSuffix("/") && repo.count > 1 ? String(repo.dropLast()) : repo
        return trimmed == "." ? path.value : trimmed + "/" + path.value
    }

    /// Writes the plan, prints its path (alone on standard output, for scripts), and maps failures to exit codes.
    func write(_ plan: () throws(NewDocument.Failure) -> NewDocument.Plan) throws {
        do throws(NewDocument.Failure) {
            let planned = try plan()
            try NewDocument.write(planned)
            for warning in planned.warnings {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            print(shown(planned.path))
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(error.kind == .exists ? ExitStatus.problems.rawValue : ExitStatus.usage.rawValue)
        }
    }
}

struct NewProcedureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "procedure",
        abstract: "Write a new procedure (SOP) into a process, with the process's next free id.",
        discussion: """
        The file is named after the title without "How to" (content/<process>/<title-words>.md). Its front matter has \
        the next id following the process's pattern (after SOP-CS-005 comes SOP-CS-006), the title, the process, the \
        owner (default: the process's owner), a criticality and a review interval (the process's, else the site's for \
        medium criticality); its body has Scope, Before you start and numbered Steps to fill in.
        """)

    @Argument(help: "The title, e.g. \"How to process a customer refund\".")
    var title: String

    @Option(help: "The process: its folder under the content folder, or its title.")
    var process: String

    @Option(help: "The owner's handle from the owners file (a leading @ is fine; default: the process's owner).")
    var owner: String?

    @Option(help: "Use this id instead of the next free one.")
    var id: String?

    @OptionGroup var location: NewLocationOptions

    func run() throws {
        try location.write { () throws(NewDocument.Failure) in
            try NewDocument.procedure(title: title, process: process, owner: owner, id: id,
                                      repository: location.repo, content: location.content)
        }
    }
}

struct NewProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Write a new process: a folder named after the title, with its _process.md.",
        discussion: """
        The process file has the title, the owner, and start, end, stakeholders and outcome to fill in.
        """)

    @Argument(help: "The title, e.g. \"Returns handling\".")
    var title: String

    @Option(help: "The owner's handle from the owners file (a leading @ is fine).")
    var owner: String?

    @OptionGroup var location: NewLocationOptions

    func run() throws {
        try location.write { () throws(NewDocument.Failure) in
            try NewDocument.process(title: title, owner: owner, repository: location.repo, content: location.content)
        }
    }
}
