import Documents
import Foundation
import SOPCore

/// The files under the content folder in the working tree: Markdown documents and published assets.
struct ContentTree {
    var markdown: [SourceFile] = []
    var assets: [SourceFile] = []

    /// Files that are configuration, not content: never published.
    static let excludedNames: Set<String> = ["owners.yml", "owners.yaml", "sopsite.yml"]

    /// A repository's own documents, skipped at the top of the repository when it is the content folder
    /// (`--content .`): they describe the repository, not a procedure.
    static let repositoryDocuments: Set<String> = ["readme.md", "contributing.md", "changelog.md", "license.md", "code_of_conduct.md",
                                                   "security.md"]

    /// Reads the content folder. Hidden files and folders (`.git`, `.github`), sopsite's own output and staging folders,
    /// and symbolic links that lead outside the content folder are skipped; nothing outside it is ever read.
    /// - Parameter skipping: absolute folders not to enter (the output folder when it lies inside the content folder).
    static func read(repositoryRoot: String, contentRoot: RepoPath, skipping: [String] = []) -> Diagnosed<ContentTree> {
        let manager = FileManager.default
        let base = contentRoot.value.isEmpty ? repositoryRoot : repositoryRoot + "/" + contentRoot.value
        let realBase = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
        var tree = ContentTree()
        var diagnostics: [Diagnostic] = []

        func visit(_ folder: String, relative: String) {
            guard let names = try? manager.contentsOfDirectory(atPath: folder) else {
                diagnostics.append(.warning("content.unreadable", "cannot read this folder", at: SourceLocation(repoPath(relative))))
                return
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let full = folder + "/" + name
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                let path = repoPath(childRelative)
                if skipping.contains(where: { full == $0 || full.hasPrefix($0 + ".sopsite-") }) { continue }
                guard let attributes = try? manager.attributesOfItem(atPath: full), let type = attributes[.type] as? FileAttributeType else { continue }
                var target = full
                if type == .typeSymbolicLink {
                    let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
                    guard resolved == realBase || resolved.hasPrefix(realBase + "/") else {
                        diagnostics.append(.warning("content.symlink-outside", "this symbolic link leads outside the content folder; it is not read or published",
                                                    at: SourceLocation(path), fix: "copy the file into the content folder instead"))
                        continue
                    }
                    target = resolved
                }
                var isFolder: ObjCBool = false
                guard manager.fileExists(atPath: target, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue {
                    if type == .typeSymbolicLink { continue }  // a linked folder inside the content is already visited directly
                    visit(full, relative: childRelative)
                    continue
                }
                guard let data = manager.contents(atPath: target) else {
                    diagnostics.append(.warning("content.unreadable", "cannot read this file", at: SourceLocation(path)))
                    continue
                }
                let file = SourceFile(path: path, bytes: Array(data))
                let lower = name.lowercased()
                if relative.isEmpty, contentRoot.value.isEmpty, repositoryDocuments.contains(lower) { continue }
                if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
                    tree.markdown.append(file)
                } else if !excludedNames.contains(lower), !(relative.isEmpty && (lower.hasSuffix(".yml") || lower.hasSuffix(".yaml"))) {
                    // YAML at the top of the content folder is configuration; everything else is published as is.
                    tree.assets.append(file)
                }
            }
        }

        func repoPath(_ relative: String) -> RepoPath {
            contentRoot.value.isEmpty ? RepoPath(relative) : contentRoot.appending(relative)
        }

        visit(base, relative: "")
        return Diagnosed(tree, diagnostics: diagnostics)
    }
}
