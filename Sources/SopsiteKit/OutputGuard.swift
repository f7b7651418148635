import Foundation
import SOPCore

/// Refuses output folders a build could destroy: the repository, its `.git` folder, the content folder, anything
/// inside the `.git` or content folder, a parent of the repository, `/`, the home folder and its parents; and a
/// non-empty folder that sopsite did not create (no marker file) unless forced. `--force` never overrides the first group.
enum OutputGuard {
    static func check(output: String, repository: String, gitDirectory: String?, content: String, force: Bool) -> Diagnostic? {
        let here = SourceLocation(RepoPath(""))
        let home = FileManager.default.homeDirectoryForCurrentUser.standardizedFileURL.path
        let output = real(output)
        // $HOME as set for this process too: CI containers set it to a folder other than the account's (/github/home).
        let homes = [home] + (ProcessInfo.processInfo.environment["HOME"].map { [$0] } ?? [])
        if output == "/" || homes.contains(where: { !$0.isEmpty && isInside(real($0), output) }) {
            return .error("output.unsafe", "refusing to write the site into \(output)", at: here, fix: "choose an output folder such as _site")
        }
        if isInside(real(repository), output) {
            return .error("output.unsafe", "the output folder \(output) is the repository or contains it; building there would replace your files",
                          at: here, fix: "choose an output folder such as _site")
        }
        for (name, folder) in [("Git folder", gitDirectory ?? repository + "/.git"), ("content folder", content)] where isInside(output, real(folder)) || isInside(real(folder), output) {
            return .error("output.unsafe", "the output folder \(output) overlaps the \(name) \(real(folder)); building there would replace your files",
                          at: here, fix: "choose an output folder outside it, such as _site at the top of the repository")
        }
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: output, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                return .error("output.not-a-folder", "\(output) exists and is not a folder", at: here, fix: "remove it or choose another --out")
            }
            let entries = (try? manager.contentsOfDirectory(atPath: output)) ?? []
            if !entries.isEmpty, !entries.contains(BuildPipeline.markerFileName), !force {
                return .error("output.not-ours", "\(output) is not empty and was not written by sopsite", at: here,
                              fix: "choose an empty or new folder, or pass --force to replace its contents")
            }
        }
        return nil
    }

    /// Refuses cache folders that would put cache files among the writer's files or into the published site: the
    /// repository's top folder, its `.git` or content folder (or anything inside them), the output folder (or inside
    /// it), a parent of any of these, `/` and the home folder. A cache folder gets a `.gitignore` of `*`, which in
    /// the content folder would hide every new SOP from Git.
    static func checkCache(_ cache: String, output: String, repository: String, content: String) -> Diagnostic? {
        let cache = real(cache)
        let home = FileManager.default.homeDirectoryForCurrentUser.standardizedFileURL.path
        var reason: String?
        if cache == "/" || cache == real(home) || isInside(real(repository), cache) {
            reason = "it is the repository, a folder that contains it, / or the home folder"
        } else if isInside(cache, real(repository + "/.git")) {
            reason = "it is inside the repository's .git folder"
        } else if isInside(cache, real(content)) || isInside(real(content), cache) {
            reason = "it overlaps the content folder, where its .gitignore would hide new SOPs from Git"
        } else if isInside(cache, real(output)) || isInside(real(output), cache) {
            reason = "it overlaps the output folder, so cache files would be published"
        }
        if let reason {
            return .error("cache.unsafe", "refusing to keep the build cache in \(cache): \(reason)", at: SourceLocation(RepoPath("")),
                          fix: "leave --cache out (the default is .build-sopsite/cache in the repository) or name a folder of its own")
        }
        // A folder of other files is not taken over: the cache replaces and removes what it keeps there (site-spare/).
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        let marker = FileManager.default.contents(atPath: cache + "/.gitignore").map { String(decoding: $0, as: UTF8.self) } ?? ""
        if !entries.isEmpty, !marker.hasPrefix(BuildCache.gitignore) {
            return .error("cache.not-ours", "\(cache) is not empty and is not a sopsite build cache", at: SourceLocation(RepoPath("")),
                          fix: "name an empty or new folder for --cache, or leave it out (the default is .build-sopsite/cache in the repository)")
        }
        return nil
    }

    /// Refuses an output folder that overlaps the default cache's folder (`.build-sopsite/` in the repository): the
    /// cache would be published, and wiped by every build.
    static func checkOutput(_ output: String, againstDefaultCache folder: String) -> Diagnostic? {
        let (output, folder) = (real(output), real(folder))
        guard isInside(output, folder) || isInside(folder, output) else { return nil }
        return .error("output.unsafe", "the output folder \(output) overlaps \(folder), where builds keep their cache", at: SourceLocation(RepoPath("")),
                      fix: "choose an output folder outside it, such as _site at the top of the repository")
    }

    /// The path with symbolic links resolved: a link must not lead a check around.
    private static func real(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }

    /// True when `child` is `parent` or inside it.
    private static func isInside(_ child: String, _ parent: String) -> Bool {
        child == parent || child.hasPrefix(parent == "/" ? "/" : parent + "/")
    }
}
