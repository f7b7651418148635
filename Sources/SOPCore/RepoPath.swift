/// A path inside the repository: `/`-separated, relative to the repository root, never starting with `/` or containing `..`.
///
/// Git stores paths as bytes; sopsite decodes them as UTF-8 (with repair) and never uses Git's octal quoting.
public struct RepoPath: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { value }

    /// Path components, e.g. `["support", "refund.md"]`.
    public var components: [Substring] { value.split(separator: "/", omittingEmptySubsequences: true) }

    /// The last component, e.g. `refund.md`.
    public var fileName: String { components.last.map(String.init) ?? value }

    /// The last component without its extension, e.g. `refund`.
    public var baseName: String {
        let name = fileName
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The containing folder ("" for the root).
    public var parent: RepoPath {
        guard let slash = value.lastIndex(of: "/") else { return RepoPath("") }
        return RepoPath(String(value[..<slash]))
    }

    /// Appends a component or relative path.
    public func appending(_ other: String) -> RepoPath {
        value.isEmpty ? RepoPath(other) : RepoPath(value + "/" + other)
    }

    /// True when `self` is `folder` or lies under it ("" contains everything).
    public func isInside(_ folder: RepoPath) -> Bool {
        folder.value.isEmpty || value == folder.value || value.hasPrefix(folder.value + "/")
    }

    /// The path relative to `folder`; `nil` when `self` is not inside it.
    public func relative(to folder: RepoPath) -> String? {
        guard isInside(folder) else { return nil }
        if folder.value.isEmpty { return value }
        if value == folder.value { return "" }
        return String(value.dropFirst(folder.value.count + 1))
    }

    /// Resolves a relative reference (`../x/y.md`, `./a.md`) against this path's folder.
    /// - Returns: the normalised path, or `nil` when it climbs above the repository root.
    public func resolving(_ reference: String) -> RepoPath? {
        var parts = parent.components.map(String.init)
        for part in reference.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return RepoPath(parts.joined(separator: "/"))
    }

    public static func < (lhs: RepoPath, rhs: RepoPath) -> Bool {
        // Byte order, as Git sorts, so output order never depends on a locale.
        lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
