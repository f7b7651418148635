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

    /// Configuration files sopsite reads at the top of the repository by default.
    static let rootConfigurationNames = ["sopsite.yml", "owners.yml", ".git-blame-ignore-revs"]

    /// True when `path` (repository-relative) exists and resolves, through symbolic links, to a place outside the
    /// repository: such a file is never read.
    static func isOutside(_ path: RepoPath, repositoryRoot: String) -> Bool {
        let full = repositoryRoot + "/" + path.value
        guard (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil
                || path.components.count > 1 else { return false }
        let realRepository = URL(fileURLWithPath: repositoryRoot).resolvingSymlinksInPath().path
        let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
        return !(resolved == realRepository || resolved.hasPrefix(realRepository == "/" ? "/" : realRepository + "/"))
    }

    /// `isOutside` for many files of one repository, with the repository's and each folder's real location resolved
    /// once (resolving a path through its symbolic links costs about 100,000 instructions, and `sopsite log` checks
    /// every SOP). The answers are `isOutside`'s: a file that is itself a symbolic link, or is missing, is resolved
    /// in full as `isOutside` resolves it.
    struct OutsideCheck {
        let repositoryRoot: String
        private var realRepository: String?
        private var realFolders: [RepoPath: String] = [:]

        init(repositoryRoot: String) {
            self.repositoryRoot = repositoryRoot
        }

        mutating func isOutside(_ path: RepoPath) -> Bool {
            let full = repositoryRoot + "/" + path.value
            var info = stat()
            let exists = lstat(full, &info) == 0
            // What `destinationOfSymbolicLink` tells `isOutside`, without making an error for every other file.
            let isLink = exists && info.st_mode & S_IFMT == S_IFLNK
            guard isLink || path.components.count > 1 else { return false }
            let name = path.fileName
            if !exists || isLink || name.isEmpty || name == "." || name == ".." {
                return ContentTree.isOutside(path, repositoryRoot: repositoryRoot)
            }
            // Not a link itself: it lies where its folder really is.
            let folder = path.parent
            let realFolder: String
            if let known = realFolders[folder] {
                realFolder = known
            } else {
                realFolder = URL(fileURLWithPath: repositoryRoot + "/" + folder.value).resolvingSymlinksInPath().path
                realFolders[folder] = realFolder
            }
            let resolved = realFolder == "/" ? "/" + name : realFolder + "/" + name
            if realRepository == nil { realRepository = URL(fileURLWithPath: repositoryRoot).resolvingSymlinksInPath().path }
            let root = realRepository!
            return !(resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/"))
        }
    }

    /// Reads the content folder. Hidden files and folders (`.git`, `.github`), sopsite's own output and staging folders,
    /// and symbolic links that lead outside the content folder are skipped; nothing outside it is ever read.
    /// - Parameter skipping: absolute folders not to enter (the output folder when it lies inside the content folder).
    /// `DT_REG`, a directory entry's type for a regular file (Linux and macOS alike).
    private static let regularFileType: UInt8 = 8

    /// The names in `folder` with their types as the listing gives them (`DT_REG`, …; 0 when the file system does not
    /// say), and the names that are not UTF-8, written with `\xNN` for their other bytes; nil when the folder cannot be
    /// read.
    static func entries(of folder: String) -> (valid: [(name: String, type: UInt8)], notUTF8: [String])? {
        guard let stream = opendir(folder) else { return nil }
        defer { closedir(stream) }
        var entries: [(name: String, type: UInt8)] = [], notUTF8: [String] = []
        while let entry = readdir(stream) {
            let bytes = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    Array(UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))))
                }
            }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                notUTF8.append(escapedName(bytes))
                continue
            }
            if name == "." || name == ".." { continue }
            entries.append((name, entry.pointee.d_type))
        }
        return (entries, notUTF8)
    }

    /// A name's bytes as text: UTF-8 where they are, `\xNN` for each other byte (`caf\xE9.md`).
    static func escapedName(_ bytes: [UInt8]) -> String {
        var out = "", start = 0
        while start < bytes.count {
            // The longest valid run from `start`, else one byte escaped.
            var end = bytes.count
            while end > start, String(validating: bytes[start..<end], as: UTF8.self) == nil { end -= 1 }
            if end > start {
                out += String(decoding: bytes[start..<end], as: UTF8.self)
                start = end
            } else {
                let hex = String(bytes[start], radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                start += 1
            }
        }
        return out
    }

    static func read(repositoryRoot: String, contentRoot: RepoPath, skipping: [String] = []) -> Diagnosed<ContentTree> {
        let base = contentRoot.value.isEmpty ? repositoryRoot : repositoryRoot + "/" + contentRoot.value
        let realBase = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
        var tree = ContentTree()
        var diagnostics: [Diagnostic] = []
        // A content folder that is a symbolic link out of the repository would publish files Git does not hold.
        let realRepository = URL(fileURLWithPath: repositoryRoot).resolvingSymlinksInPath().path
        guard realBase == realRepository || realBase.hasPrefix(realRepository == "/" ? "/" : realRepository + "/") else {
            return Diagnosed(tree, diagnostics: [.error("content.outside-repository",
                                                        "the content folder is a symbolic link to a folder outside the repository; nothing is read from it",
                                                        at: SourceLocation(contentRoot), fix: "move the SOPs into the repository")])
        }

        // Files to read, in walk order: read after the walk, on every processor (2,000 SOPs one by one were a sixth of
        // a rebuild).
        var found: [(path: RepoPath, target: String, isMarkdown: Bool)] = []

        func visit(_ folder: String, relative: String) {
            guard let (entries, notUTF8) = Self.entries(of: folder) else {
                diagnostics.append(.warning("content.unreadable", "cannot read this folder", at: SourceLocation(repoPath(relative))))
                return
            }
            // Git, URLs and every page's links need text names; such a name was read as another (U+FFFD for its bytes).
            for name in notUTF8.sorted() where !name.hasPrefix(".") {
                diagnostics.append(.warning("content.file-name", "this name is not UTF-8 text (bytes shown as \\xNN); it is not read or published",
                                            at: SourceLocation(repoPath(relative.isEmpty ? name : relative + "/" + name)),
                                            fix: "rename it with UTF-8 letters (an editor or file manager on a UTF-8 system does)"))
            }
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) where !name.hasPrefix(".") {
                let full = folder + "/" + name
                let childRelative = relative.isEmpty ? name : relative + "/" + name
                let path = repoPath(childRelative)
                if skipping.contains(where: { full == $0 || full.hasPrefix($0 + ".sopsite-") }) { continue }
                // A regular file as the folder listing says (most entries) needs no lstat; anything else gets one
                // (and a stat of a link's target). FileManager's attributes looked up the owner's account name.
                var info = stat()
                if type == Self.regularFileType {
                    info.st_mode = S_IFREG
                } else {
                    guard lstat(full, &info) == 0 else { continue }
                }
                let isLink = info.st_mode & S_IFMT == S_IFLNK
                var target = full
                if isLink {
                    let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
                    guard resolved == realBase || resolved.hasPrefix(realBase + "/") else {
                        diagnostics.append(.warning("content.symlink-outside", "this symbolic link leads outside the content folder; it is not read or published",
                                                    at: SourceLocation(path), fix: "copy the file into the content folder instead"))
                        continue
                    }
                    target = resolved
                    guard stat(target, &info) == 0 else { continue }
                }
                if info.st_mode & S_IFMT == S_IFDIR {
                    if isLink { continue }  // a linked folder inside the content is already visited directly
                    // A submodule (or any repository inside this one) has its own history, which this repository's
                    // history cannot date: its files would be published as never committed.
                    if access(full + "/.git", F_OK) == 0 {
                        diagnostics.append(.warning("content.submodule", "this folder is a separate Git repository (a submodule); its files are not published",
                                                    at: SourceLocation(path), fix: "copy the SOPs into the content folder, or move the submodule out of it"))
                        continue
                    }
                    visit(full, relative: childRelative)
                    continue
                }
                // Reading a named pipe or a device would block or never end; only regular files are documents.
                guard info.st_mode & S_IFMT == S_IFREG else {
                    diagnostics.append(.warning("content.not-a-file", "this is not a regular file; it is not read or published",
                                                at: SourceLocation(path), fix: "remove it from the content folder"))
                    continue
                }
                let lower = name.lowercased()
                if relative.isEmpty, contentRoot.value.isEmpty, repositoryDocuments.contains(lower) { continue }
                if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
                    found.append((path, target, true))
                } else if !excludedNames.contains(lower), !(relative.isEmpty && (lower.hasSuffix(".yml") || lower.hasSuffix(".yaml"))) {
                    // YAML at the top of the content folder is configuration; everything else is published as is.
                    found.append((path, target, false))
                }
            }
        }

        func repoPath(_ relative: String) -> RepoPath {
            contentRoot.value.isEmpty ? RepoPath(relative) : contentRoot.appending(relative)
        }

        visit(base, relative: "")
        let contents = ParallelChunks.mapWaiting(found) { chunk in chunk.map { SourceReader.contents(atPath: $0.target) } }.flatMap { $0 }
        for (file, data) in zip(found, contents) {
            guard let data else {
                diagnostics.append(.warning("content.unreadable", "cannot read this file", at: SourceLocation(file.path)))
                continue
            }
            if file.isMarkdown {
                tree.markdown.append(SourceFile(path: file.path, bytes: data))
            } else {
                tree.assets.append(SourceFile(path: file.path, bytes: data))
            }
        }
        // Configuration at the top of the repository is read by the pipeline, not by this walk; a link out of the
        // repository is not followed there either (`isOutside`), and is named here so the writer knows why.
        for name in rootConfigurationNames where !contentRoot.value.isEmpty || name.hasPrefix(".") {
            if isOutside(RepoPath(name), repositoryRoot: repositoryRoot) {
                diagnostics.append(.warning("content.symlink-outside", "this symbolic link leads outside the repository; it is not read",
                                            at: SourceLocation(RepoPath(name)), fix: "copy the file into the repository instead"))
            }
        }
        return Diagnosed(tree, diagnostics: diagnostics)
    }
}
