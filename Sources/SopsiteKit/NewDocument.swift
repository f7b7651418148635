import Documents
import Foundation
import SOPCore

/// `sopsite new`: a new procedure or process written from a template, with the next free id of its process, so that a
/// writer starts from a file that already builds. Never overwrites a file.
public enum NewDocument {
    /// A file to write: where, and what.
    public struct Plan: Sendable, Equatable {
        /// Repository-relative path, e.g. `content/customer-support/process-a-customer-refund.md`.
        public let path: RepoPath
        /// Absolute path.
        public let absolutePath: String
        public let text: String
        /// The new document's id (nil for a process, which has none).
        public let id: String?
        /// Things the writer should know that do not stop the file being written (an owner missing from the owners file).
        public let warnings: [String]
    }

    /// Why nothing was written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Kind: Sendable {
            /// The request cannot work as given (no such process, an empty title, an id already taken).
            case usage
            /// The file is there already; it was left alone.
            case exists
        }
        public let kind: Kind
        public let message: String
        public let fix: String?
        public var description: String { message + (fix.map { "; " + $0 } ?? "") }
    }

    /// A procedure in the process whose folder (or title) is `process`.
    ///
    /// The id continues the pattern of the ids already in that process folder: after `SOP-CS-001` … `SOP-CS-005` comes
    /// `SOP-CS-006` (same prefix, same number of digits, one more than the highest). A process without ids takes the
    /// site's pattern (`SOP-<letters>-001`, letters from the folder's name and unused by other processes). An id used
    /// anywhere in the content folder is skipped.
    /// - Parameters:
    ///   - owner: a handle (a leading `@` is dropped); nil: the process's owner.
    ///   - id: an explicit id instead of the next one.
    ///   - repository: the repository's top folder; `content`: the content folder relative to it (nil: from sopsite.yml).
    /// - Throws: `Failure` (`.usage`) for an empty title, an unknown process or a taken id, (`.exists`) for a file that exists.
    public static func procedure(title: String, process: String, owner: String?, id: String?, repository: String,
                                 content: String?) throws(Failure) -> Plan {
        let site = SiteFiles(repository: repository, content: content)
        let title = try cleanTitle(title)
        let folder = try site.processFolder(named: process)
        let processFile = site.processDocument(in: folder)
        let slug = slugify(title.hasPrefix("How to ") ? String(title.dropFirst(7)) : title)
        guard !slug.isEmpty else {
            throw Failure(kind: .usage, message: "the title \"\(title)\" gives no file name", fix: "use letters or digits in the title")
        }
        let path = folder.appending(slug + ".md")

        let existingIDs = site.ids()
        let newID: String
        if let id {
            guard !id.isEmpty, !id.contains(where: { $0.isWhitespace || $0 == "#" || $0 == ":" }) else {
                throw Failure(kind: .usage, message: "--id \"\(id)\" is not an id", fix: "write one word such as SOP-CS-006")
            }
            if let holder = existingIDs[id] {
                throw Failure(kind: .usage, message: "the id \(id) is already used by \(holder.value)", fix: "leave out --id to take the next free one")
            }
            newID = id
        } else {
            newID = nextID(in: folder, contentRoot: site.contentRoot, ids: existingIDs)
        }

        var warnings: [String] = []
        let ownerHandle = owner.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 } ?? processFile?.owner
        if let ownerHandle, let known = site.ownerHandles(), !known.contains(ownerHandle) {
            let suggestion = DocumentLoader.closest(to: ownerHandle, in: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            warnings.append("the owner \"\(ownerHandle)\" is not in the owners file\(suggestion); add them there or pass --owner")
        }
        let processKey = folder.relative(to: site.contentRoot) ?? folder.value
        let interval = processFile?.reviewInterval ?? site.config.intervalByCriticality["medium"] ?? site.config.defaultInterval
        let intervalSource = processFile?.reviewInterval != nil ? "the process's interval" : "the site's interval for criticality medium"

        var lines = ["---", "id: \(newID)", "title: \(yamlScalar(title))", "type: procedure", "process: \(processKey)"]
        lines.append(ownerHandle.map { "owner: \($0)" } ?? "# owner: HANDLE   (default: the process's owner; handles are listed in the owners file)")
        lines += [
            "criticality: medium     # high | medium | low",
            "review_interval: \(intervalText(interval))   # \(intervalSource)",
            "scope: What this procedure covers, and what it does not.",
            "tags: []",
            "---",
            "",
            "## Scope",
            "",
            "When to use this procedure, and when not to (link to the one to use instead).",
            "",
            "## Before you start",
            "",
            "- The access, tools and information you need.",
            "",
            "## Steps",
            "",
            "1. The first thing to do, in the imperative: \"Open the order in the admin panel.\"",
            "2. The next step. Put detail a step needs in a work instruction and link to it.",
            "3. How to tell that you are done.",
            "",
        ]
        if let processPath = processFile?.path {
            lines += ["## Related", "", "- [\(processFile?.title ?? "The process")](\(processPath.fileName))", ""]
        }
        return try site.plan(path, text: lines.joined(separator: "\n"), id: newID, warnings: warnings)
    }

    /// A process: a folder under the content folder named after the title, with its `_process.md`.
    /// - Throws: `Failure` (`.usage`) for an empty title, (`.exists`) when the folder already has a process file.
    public static func process(title: String, owner: String?, repository: String, content: String?) throws(Failure) -> Plan {
        let site = SiteFiles(repository: repository, content: content)
        let title = try cleanTitle(title)
        let slug = slugify(title)
        guard !slug.isEmpty else {
            throw Failure(kind: .usage, message: "the title \"\(title)\" gives no folder name", fix: "use letters or digits in the title")
        }
        let folder = site.contentRoot.appending(slug)
        for name in DocumentLoader.processFileNames.sorted() where FileManager.default.fileExists(atPath: site.absolute(folder.appending(name))) {
            throw Failure(kind: .exists, message: "\(folder.appending(name).value) already exists; nothing was written",
                          fix: "choose another title, or edit that file")
        }
        var warnings: [String] = []
        let ownerHandle = owner.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
        if let ownerHandle, let known = site.ownerHandles(), !known.contains(ownerHandle) {
            let suggestion = DocumentLoader.closest(to: ownerHandle, in: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            warnings.append("the owner \"\(ownerHandle)\" is not in the owners file\(suggestion); add them there or pass --owner")
        }
        var lines = ["---", "title: \(yamlScalar(title))", "type: process"]
        lines.append(ownerHandle.map { "owner: \($0)" } ?? "# owner: HANDLE   (the default owner of the process's procedures)")
        lines += [
            "start: What starts the process (a request, an event, a date)",
            "end: What ends it",
            "stakeholders: []",
            "outcome: What a good outcome looks like, and how it is measured",
            "---",
            "",
            "What this process is for, who takes part, and how its procedures fit together.",
            "",
            "Add procedures with `sopsite new procedure \"How to …\" --process \(slug)`.",
            "",
        ]
        return try site.plan(folder.appending("_process.md"), text: lines.joined(separator: "\n"), id: nil, warnings: warnings)
    }

    /// Writes the plan's file (creating its folder), failing if anything is at its path, even a file that appeared
    /// after the plan was made.
    /// - Throws: `Failure` (`.exists`) when the file is there, (`.usage`) when it cannot be written.
    public static func write(_ plan: Plan) throws(Failure) {
        let url = URL(fileURLWithPath: plan.absolutePath)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw Failure(kind: .usage, message: "cannot create the folder \(url.deletingLastPathComponent().path): \(error.localizedDescription)", fix: nil)
        }
        // O_EXCL: the check and the creation are one step, so a file saved meanwhile is never replaced.
        let descriptor = open(plan.absolutePath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                throw Failure(kind: .exists, message: "\(plan.path.value) already exists; nothing was written",
                              fix: "choose another title, or edit that file")
            }
            throw Failure(kind: .usage, message: "cannot create \(plan.path.value): \(String(cString: strerror(errno)))", fix: nil)
        }
        defer { close(descriptor) }
        let bytes = Array(plan.text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else {
                throw Failure(kind: .usage, message: "cannot write \(plan.path.value): \(String(cString: strerror(errno)))", fix: nil)
            }
            written += result
        }
    }

    // MARK: - Ids

    /// The next id of `folder`'s pattern; see `procedure(…)`.
    static func nextID(in folder: RepoPath, contentRoot: RepoPath, ids: [String: RepoPath]) -> String {
        let parsed = ids.compactMap { id, path in NumberedID(id).map { (id: $0, path: path) } }
        let here = parsed.filter { $0.path.isInside(folder) }.map(\.id)
        let name = folder.relative(to: contentRoot) ?? folder.fileName
        // Between prefixes as common as each other here (an SOP moved in from another process keeps its id), the one
        // other processes use least is this process's.
        var elsewhere: [String: Int] = [:]
        for (id, path) in parsed where !path.isInside(folder) { elsewhere[id.prefix, default: 0] += 1 }
        var candidate: NumberedID
        if let pattern = dominantPattern(here, elsewhere: elsewhere) {
            let numbers = here.filter { $0.prefix == pattern.prefix }
            candidate = NumberedID(prefix: pattern.prefix, number: (numbers.map(\.number).max() ?? 0) + 1,
                                   width: numbers.map(\.width).max() ?? 3)
        } else {
            // No ids in this process yet: the site's pattern (SOP-XX-000) with letters of this folder's name.
            let site = dominantPattern(parsed.map(\.id).filter { $0.prefix.split(separator: "-").count == 2 })
            let lead = site.map { String($0.prefix.split(separator: "-")[0]) } ?? "SOP"
            let width = site?.width ?? 3
            let taken = Set(parsed.map { $0.id.prefix.uppercased() })
            let code = processCode(for: name) { taken.contains("\(lead)-\($0)-".uppercased()) }
            candidate = NumberedID(prefix: "\(lead)-\(code)-", number: 1, width: width)
        }
        while ids[candidate.text] != nil { candidate.number += 1 }
        return candidate.text
    }

    /// The prefix most ids share, preferring `SOP…` ids (work instructions, `WI-…`, are not procedures), then, between
    /// prefixes as common as each other, the one least used `elsewhere` (prefix → ids with it in other places).
    private static func dominantPattern(_ ids: [NumberedID], elsewhere: [String: Int] = [:]) -> NumberedID? {
        let counts = Dictionary(grouping: ids, by: \.prefix)
        let best = counts.max { lhs, rhs in
            let (l, r) = (lhs.key.uppercased().hasPrefix("SOP"), rhs.key.uppercased().hasPrefix("SOP"))
            if l != r { return !l }
            if lhs.value.count != rhs.value.count { return lhs.value.count < rhs.value.count }
            let (le, re) = (elsewhere[lhs.key] ?? 0, elsewhere[rhs.key] ?? 0)
            if le != re { return le > re }
            return lhs.key > rhs.key
        }
        return best?.value.max { $0.width < $1.width }
    }

    /// Two letters for a folder name: the initials of its words (`customer-support` → `CS`), else its first two
    /// letters (`hiring` → `HI`); other letters of the name when those are taken.
    static func processCode(for name: String, isTaken: (String) -> Bool) -> String {
        let words = name.lowercased().split { !$0.isLetter && !$0.isNumber }.map { String($0.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }) }
            .filter { !$0.isEmpty }
        let letters = Array(words.joined())
        var candidates: [String] = []
        if words.count >= 2 { candidates.append(String(words.prefix(3).compactMap(\.first))) }
        if letters.count >= 2 {
            for second in 1..<letters.count { candidates.append(String([letters[0], letters[second]])) }
        }
        for candidate in candidates.map({ $0.uppercased() }) where !isTaken(candidate) { return candidate }
        var number = 2
        let base = (candidates.first ?? "P").uppercased()
        while isTaken("\(base)\(number)") { number += 1 }
        return "\(base)\(number)"
    }

    /// An id made of a prefix and a trailing number: `SOP-CS-` + `006` (three digits wide).
    struct NumberedID: Equatable {
        var prefix: String
        var number: Int
        var width: Int

        init(prefix: String, number: Int, width: Int) {
            self.prefix = prefix
            self.number = number
            self.width = width
        }

        init?(_ id: String) {
            let digits = id.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count < id.count, digits.count <= 9, let number = Int(String(digits.reversed())) else { return nil }
            self.init(prefix: String(id.dropLast(digits.count)), number: number, width: digits.count)
        }

        var text: String {
            let digits = String(number)
            return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
    }

    // MARK: - Text

    private static func cleanTitle(_ title: String) throws(Failure) -> String {
        let cleaned = title.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty else { throw Failure(kind: .usage, message: "the title is empty", fix: "write it in quotes: \"How to …\"") }
        return cleaned
    }

    /// Lower-case ASCII words joined by `-`, at most 60 characters cut at a word: `Process a customer's refund` →
    /// `process-a-customers-refund`; accents are dropped (`Überweisung prüfen` → `uberweisung-prufen`).
    static func slugify(_ title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
        var words: [String] = []
        var word = ""
        for scalar in folded.unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" { continue }
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                word.unicodeScalars.append(scalar)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        var slug = ""
        for word in words {
            let next = slug.isEmpty ? word : slug + "-" + word
            if next.count > 60, !slug.isEmpty { break }
            slug = String(next.prefix(60))
        }
        return slug
    }

    /// The title as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted.
    static func yamlScalar(_ text: String) -> String {
        let needsQuotes = text.contains(": ") || text.contains(" #") || text.hasSuffix(":")
            || text.first.map { "-?:,[]{}#&*!|>'\"%@`".contains($0) } ?? true
            || ["true", "false", "yes", "no", "null", "~", "on", "off"].contains(text.lowercased()) || Double(text) != nil
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func intervalText(_ interval: ReviewInterval) -> String {
        if ReviewInterval(parsing: interval.description) == interval { return interval.description }
        return "P\(interval.months)M\(interval.days)D"
    }
}

/// The parts of a repository `new` reads: configuration, process files, ids and owners.
private struct SiteFiles {
    let repositoryPath: String
    let config: SiteConfig
    let contentRoot: RepoPath
    private let tree: ContentTree

    init(repository: String, content: String?) {
        repositoryPath = BuildPipeline.absolute(repository)
        var config = SiteConfig()
        if let data = FileManager.default.contents(atPath: repositoryPath + "/sopsite.yml") {
            config = SiteConfig.load(SourceFile(path: RepoPath("sopsite.yml"), bytes: Array(data))).value
        }
        self.config = config
        contentRoot = content.map { RepoPath($0.split(separator: "/").filter { $0 != "." }.joined(separator: "/")) } ?? config.contentRoot
        tree = ContentTree.read(repositoryRoot: repositoryPath, contentRoot: contentRoot).value
    }

    func absolute(_ path: RepoPath) -> String {
        path.value.isEmpty ? repositoryPath : repositoryPath + "/" + path.value
    }

    /// The process folder named `name` (its folder name, or a process's title in any case).
    func processFolder(named name: String) throws(NewDocument.Failure) -> RepoPath {
        let trimmed = name.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        let contentFolder = absolute(contentRoot)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentFolder, isDirectory: &isFolder), isFolder.boolValue else {
            throw NewDocument.Failure(kind: .usage, message: "the content folder \(contentRoot.value.isEmpty ? "." : contentRoot.value) does not exist in \(repositoryPath)",
                                      fix: "pass --repo and --content, or create the process first with sopsite new process \"Title\"")
        }
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: contentFolder)) ?? []).filter { entry in
            var isFolder: ObjCBool = false
            return !entry.hasPrefix(".") && FileManager.default.fileExists(atPath: contentFolder + "/" + entry, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
        if !trimmed.contains(".."), !trimmed.isEmpty, folders.contains(trimmed) { return contentRoot.appending(trimmed) }
        for folder in folders {
            if let process = processDocument(in: contentRoot.appending(folder)), process.title.lowercased() == name.lowercased() {
                return contentRoot.appending(folder)
            }
        }
        let suggestion = DocumentLoader.closest(to: name, in: Set(folders)).map { "did you mean \"\($0)\"? " } ?? ""
        throw NewDocument.Failure(kind: .usage, message: "there is no process \"\(name)\" in \(contentRoot.value.isEmpty ? "." : contentRoot.value)",
                                  fix: suggestion + (folders.isEmpty ? "" : "processes: \(folders.joined(separator: ", ")); ")
                                      + "create one with sopsite new process \"Title\"")
    }

    /// The folder's process file, loaded (nil when there is none or it does not load).
    func processDocument(in folder: RepoPath) -> Document? {
        let loader = DocumentLoader(contentRoot: contentRoot)
        for file in tree.markdown where file.path.parent == folder && DocumentLoader.processFileNames.contains(file.path.fileName.lowercased()) {
            if let document = loader.load(file).value { return document }
        }
        return nil
    }

    /// Every `id:` in the content folder's front matter, with its file. Read line by line rather than through the
    /// loader, so that a file with an error elsewhere in its front matter still holds on to its id.
    func ids() -> [String: RepoPath] {
        var ids: [String: RepoPath] = [:]
        for file in tree.markdown {
            let text = FrontMatterSplit.normalise(String(decoding: file.bytes, as: UTF8.self))
            guard let split = try? FrontMatterSplit.split(text), let yaml = split.yaml else { continue }
            for line in yaml.split(separator: "\n") where line.hasPrefix("id:") {
                var value = line.dropFirst(3)
                if let comment = value.range(of: " #") { value = value[..<comment.lowerBound] }
                let id = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if !id.isEmpty, ids[id] == nil { ids[id] = file.path }
            }
        }
        return ids
    }

    /// Handles in the owners file; nil when there is no owners file (then any handle is accepted).
    func ownerHandles() -> Set<String>? {
        for candidate in config.ownersFile.map({ [$0] }) ?? [contentRoot.appending("owners.yml"), RepoPath("owners.yml")] {
            if let data = FileManager.default.contents(atPath: absolute(candidate)) {
                return Set(Owners.load(SourceFile(path: candidate, bytes: Array(data))).value.byHandle.keys)
            }
        }
        return nil
    }

    func plan(_ path: RepoPath, text: String, id: String?, warnings: [String]) throws(NewDocument.Failure) -> NewDocument.Plan {
        let absolutePath = absolute(path)
        if FileManager.default.fileExists(atPath: absolutePath) {
            throw NewDocument.Failure(kind: .exists, message: "\(path.value) already exists; nothing was written",
                                      fix: "choose another title, or edit that file")
        }
        return NewDocument.Plan(path: path, absolutePath: absolutePath, text: text, id: id, warnings: warnings)
    }
}
