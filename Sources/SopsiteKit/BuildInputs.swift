import Documents
import Foundation
import SOPCore

/// What a build reads from disk, as absolute paths: what `sopsite serve` watches to know when to rebuild.
public struct BuildInputs: Sendable, Equatable {
    /// Folders read recursively: the content folder and the theme folder (`--theme`, else `theme:` in sopsite.yml).
    public var folders: [String] = []
    /// Single files: `sopsite.yml`, the owners and ignore-revs files, and the Git files that move when a commit is made
    /// or a branch is checked out (`HEAD`, the branch it points to, `packed-refs`). They need not exist.
    public var files: [String] = []
    /// Folders inside `folders` that are not read (the output folder and its staging folders, as the build skips them).
    public var skipping: [String] = []

    public init(folders: [String] = [], files: [String] = [], skipping: [String] = []) {
        self.folders = folders
        self.files = files
        self.skipping = skipping
    }
}

extension BuildPipeline {
    /// The inputs of `request`, resolved as `run(_:)` resolves them (the content and output folders from the request,
    /// else from `sopsite.yml`). Read again after each build: an edit to `sopsite.yml` can move the content folder.
    public static func inputs(of request: BuildRequest) -> BuildInputs {
        let repositoryPath = absolute(request.repository)
        var config = SiteConfig()
        if let data = FileManager.default.contents(atPath: repositoryPath + "/sopsite.yml") {
            config = SiteConfig.load(SourceFile(path: RepoPath("sopsite.yml"), bytes: Array(data))).value
        }
        let contentRoot = request.content.map { RepoPath($0.split(separator: "/").filter { $0 != "." }.joined(separator: "/")) }
            ?? config.contentRoot
        var output = request.output.map(absolute) ?? BuildPipeline.defaultOutput(repositoryPath: repositoryPath, isBare: false)
        if request.output == nil, let configured = config.output {
            output = absolute(configured.hasPrefix("/") ? configured : repositoryPath + "/" + configured)
        }
        func inRepository(_ path: RepoPath) -> String {
            path.value.isEmpty ? repositoryPath : repositoryPath + "/" + path.value
        }

        var inputs = BuildInputs(skipping: [output])
        inputs.folders.append(inRepository(contentRoot))
        if let theme = request.themeOverride.map(absolute) ?? config.themeFolder.map({ repositoryPath + "/" + $0.value }) {
            inputs.folders.append(theme)
        }
        inputs.files.append(repositoryPath + "/sopsite.yml")
        inputs.files.append(inRepository(config.ignoreRevsFile))
        for owners in config.ownersFile.map({ [$0] }) ?? [contentRoot.appending("owners.yml"), RepoPath("owners.yml")] {
            inputs.files.append(inRepository(owners))
        }
        let gitDirectory = gitDirectory(of: repositoryPath)
        inputs.files.append(gitDirectory + "/HEAD")
        inputs.files.append(gitDirectory + "/packed-refs")
        if let head = FileManager.default.contents(atPath: gitDirectory + "/HEAD"),
           case let text = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
           text.hasPrefix("ref: ") {
            let reference = String(text.dropFirst(5))
            // A reference is a path under the Git folder such as refs/heads/main; never follow one that leaves it.
            if !reference.split(separator: "/").contains("..") { inputs.files.append(gitDirectory + "/" + reference) }
        }
        inputs.files = Array(Set(inputs.files)).sorted()
        return inputs
    }

    /// The Git folder of a working tree: `.git`, the folder a `.git` file names (a linked worktree or submodule), or
    /// the repository itself when it is bare.
    private static func gitDirectory(of repositoryPath: String) -> String {
        let dotGit = repositoryPath + "/.git"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit, isDirectory: &isFolder) else { return repositoryPath }
        if isFolder.boolValue { return dotGit }
        guard let data = FileManager.default.contents(atPath: dotGit) else { return dotGit }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("gitdir: ") else { return dotGit }
        let target = String(text.dropFirst(8))
        return absolute(target.hasPrefix("/") ? target : repositoryPath + "/" + target)
    }
}
