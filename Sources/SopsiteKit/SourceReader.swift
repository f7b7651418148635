#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Documents
import Foundation
import Git
import History
import SOPCore

/// Where the files a writer edits are read from: the working tree, or, for a bare repository (a CI mirror), HEAD's tree.
enum SourceReader: Sendable {
    case workingTree(root: String)
    case headTree(repository: String, tree: ObjectID)

    /// The working tree when there is one; HEAD's tree for a bare repository.
    static func open(repositoryPath: String) -> SourceReader {
        if let repository = try? Repository.open(at: repositoryPath), repository.isBare,
           let head = try? repository.headCommit(), let tree = try? repository.treeID(of: head) {
            return .headTree(repository: repositoryPath, tree: tree)
        }
        return .workingTree(root: repositoryPath)
    }

    var isBare: Bool { if case .headTree = self { true } else { false } }

    /// The bytes of a repository-relative file, nil when there is none.
    func read(_ path: RepoPath) -> [UInt8]? {
        switch self {
        case .workingTree(let root):
            // A configuration file linked out of the repository is not read (ContentTree names it).
            if ContentTree.isOutside(path, repositoryRoot: root) { return nil }
            return FileManager.default.contents(atPath: root + "/" + path.value).map { Array($0) }
        case .headTree(let repositoryPath, let tree):
            guard let repository = try? Repository.open(at: repositoryPath),
                  let file = try? repository.files(in: tree, under: path.parent).first(where: { $0.path == path }) else { return nil }
            return try? repository.blob(file.blob)
        }
    }

    /// `read(_:)` for many files: the same answers, with what they share (the repository's real location, each
    /// folder's; for a bare repository one handle and each folder's listing) worked out once.
    func read(_ paths: [RepoPath]) -> [[UInt8]?] {
        switch self {
        case .workingTree(let root):
            var check = ContentTree.OutsideCheck(repositoryRoot: root)
            return paths.map { path in
                if check.isOutside(path) { return nil }
                return Self.contents(atPath: root + "/" + path.value)
            }
        case .headTree(let repositoryPath, let tree):
            guard let repository = try? Repository.open(at: repositoryPath) else { return paths.map { _ in nil } }
            var folders: [RepoPath: [TreeFile]?] = [:]
            return paths.map { path in
                if folders[path.parent] == nil { folders[path.parent] = .some(try? repository.files(in: tree, under: path.parent)) }
                guard let listed = folders[path.parent] ?? nil, let file = listed.first(where: { $0.path == path }) else { return nil }
                return try? repository.blob(file.blob)
            }
        }
    }

    /// A file's bytes, nil when it cannot be read (missing, a folder, not allowed): what `FileManager.contents(atPath:)`
    /// answers, read with one buffer and no `Data` in between (a third of the time of reading every SOP for `log`).
    static func contents(atPath path: String) -> [UInt8]? {
        #if canImport(Glibc)
        let file = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        #else
        let file = Darwin.open(path, O_RDONLY | O_CLOEXEC)
        #endif
        guard file >= 0 else { return nil }
        defer { _ = close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let read = bytes.withUnsafeMutableBytes { buffer in systemRead(file, buffer.baseAddress! + count, buffer.count - count) }
            if read < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if read == 0 { break }
            count += read
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    #if canImport(Glibc)
    private static let systemRead = Glibc.read
    #else
    private static let systemRead = Darwin.read
    #endif

    /// The content folder's Markdown files and assets.
    func contentTree(contentRoot: RepoPath, skipping: [String]) -> Diagnosed<ContentTree> {
        switch self {
        case .workingTree(let root):
            return ContentTree.read(repositoryRoot: root, contentRoot: contentRoot, skipping: skipping)
        case .headTree(let repositoryPath, let tree):
            var content = ContentTree()
            do throws(GitError) {
                let repository = try Repository.open(at: repositoryPath)
                for file in try repository.files(in: tree, under: contentRoot) where !file.isSymlink {
                    let hidden = file.path.components.contains { $0.hasPrefix(".") }
                    let name = file.path.fileName.lowercased()
                    if hidden { continue }
                    let source = SourceFile(path: file.path, bytes: try repository.blob(file.blob))
                    if name.hasSuffix(".md") || name.hasSuffix(".markdown") {
                        if contentRoot.value.isEmpty, file.path.components.count == 1, ContentTree.repositoryDocuments.contains(name) { continue }
                        content.markdown.append(source)
                    } else if !ContentTree.excludedNames.contains(name),
                              !(file.path.parent == contentRoot && (name.hasSuffix(".yml") || name.hasSuffix(".yaml"))) {
                        content.assets.append(source)
                    }
                }
            } catch {
                return Diagnosed(content, diagnostics: [.error("git.read", "could not read HEAD's tree: \(error.message)", at: SourceLocation(RepoPath("")))])
            }
            return Diagnosed(content)
        }
    }
}

extension SourceReader {
    /// `sopsite.yml` (the defaults when there is none) with `--content` applied, as `build`, `check`, `serve` and
    /// `log` read it; its problems come with it.
    func siteConfig(content: String?) -> Diagnosed<SiteConfig> {
        var config = SiteConfig()
        var diagnostics: [Diagnostic] = []
        if let data = read(RepoPath("sopsite.yml")) {
            let loaded = SiteConfig.load(SourceFile(path: RepoPath("sopsite.yml"), bytes: data))
            config = loaded.value
            diagnostics = loaded.diagnostics
        }
        if let content {
            config.contentRoot = RepoPath(content.split(separator: "/").filter { $0 != "." }.joined(separator: "/"))
        }
        return Diagnosed(config, diagnostics: diagnostics)
    }

    /// The commits the configuration's ignore-revs file lists (none when there is no such file).
    func ignoredRevisions(_ config: SiteConfig) -> Diagnosed<Set<String>> {
        guard let data = read(config.ignoreRevsFile) else { return Diagnosed([]) }
        return HistoryIndex.ignoredRevisions(in: String(decoding: data, as: UTF8.self), path: config.ignoreRevsFile)
    }
}
