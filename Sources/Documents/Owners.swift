import SOPCore

/// A person accountable for SOPs, from `owners.yml` (handle → name, email, team).
public struct Owner: Sendable, Equatable {
    public let handle: String
    public let name: String
    public let email: String?
    public let team: String?
}

/// The owners file: every handle an `owner:` may name.
public struct Owners: Sendable {
    public let byHandle: [String: Owner]
    /// Where the file is, for diagnostics; nil when there is none.
    public let path: RepoPath?

    public init(byHandle: [String: Owner] = [:], path: RepoPath? = nil) {
        self.byHandle = byHandle
        self.path = path
    }

    public subscript(handle: String) -> Owner? { byHandle[handle] }

    /// Reads `owners.yml`:
    /// ```yaml
    /// dana:
    ///   name: Dana Whitfield
    ///   email: dana.whitfield@example.com
    ///   team: Customer Support
    /// ```
    /// A handle may also map to just a name (`dana: Dana Whitfield`).
    public static func load(_ file: SourceFile) -> Diagnosed<Owners> {
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return Diagnosed(Owners(path: file.path), diagnostics: [.error("owners.encoding", "the file is not valid UTF-8",
                                                                          at: SourceLocation(file.path, line: 1))])
        }
        var fields = FrontMatterFields(path: file.path, firstLine: 1)
        do {
            try fields.parse(FrontMatterSplit.normalise(text))
        } catch {
            return Diagnosed(Owners(path: file.path), diagnostics: [.error(error.code.replacingOccurrences(of: "front-matter", with: "owners"),
                                                                          error.message.replacingOccurrences(of: "the front matter", with: "the owners file"),
                                                                          at: SourceLocation(file.path, line: error.line), fix: error.fix)])
        }
        var owners: [String: Owner] = [:]
        var diagnostics: [Diagnostic] = []
        for handle in fields.keys.sorted() {
            let key = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
            if fields.isMapping(handle), var person = fields.nested(handle) {
                for unknown in person.keys.sorted() where !["name", "email", "team"].contains(unknown) {
                    diagnostics.append(.warning("owners.unknown-key", "unknown key \"\(unknown)\" for owner \(handle)",
                                                at: SourceLocation(file.path, line: person.lines[unknown]), fix: "use name, email and team"))
                }
                owners[key] = Owner(handle: key, name: person.string("name") ?? key, email: person.string("email"), team: person.string("team"))
                diagnostics += person.failures.map { .error("owners.type", $0.message, at: SourceLocation(file.path, line: $0.line), fix: $0.fix) }
            } else if let name = fields.string(handle) {
                owners[key] = Owner(handle: key, name: name, email: nil, team: nil)
            }
        }
        diagnostics += fields.failures.map { .error("owners.type", $0.message, at: SourceLocation(file.path, line: $0.line), fix: $0.fix) }
        return Diagnosed(Owners(byHandle: owners, path: file.path), diagnostics: diagnostics)
    }
}
