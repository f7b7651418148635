import Foundation
import SOPCore

/// Refuses output folders a build could destroy: the repository or content folder, a parent of either, `/`, the home
/// folder, and a non-empty folder that sopsite did not create (no marker file) unless forced.
enum OutputGuard {
    static func check(output: String, repository: String, content: String, force: Bool) -> Diagnostic? {
        let here = SourceLocation(RepoPath(""))
        let home = FileManager.default.homeDirectoryForCurrentUser.standardizedFileURL.path
        func contains(_ parent: String, _ child: String) -> Bool { child == parent || child.hasPrefix(parent == "/" ? "/" : parent + "/") }
        if output == "/" || output == home {
            return .error("output.unsafe", "refusing to write the site into \(output)", at: here, fix: "choose an output folder such as _site")
        }
        for (name, folder) in [("repository", repository), ("content folder", content)] where contains(output, folder) {
            return .error("output.unsafe", "the output folder \(output) is the \(name) or contains it; building there would replace your files",
                          at: here, fix: "choose an output folder such as _site")
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
}
