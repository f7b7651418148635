#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path inside the repository: `/`-separated, relative to the repository root, never starting with `/` or containing `..`.
///
/// Git stores paths as bytes; sopsite decodes them as UTF-8 (with repair) and never uses Git's octal quoting.
public struct RepoPath: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { value }

    /// Path components, e.g. `["support", "refund.md"]`.
    public var components: [Substring] {
        // An ASCII path is split on its bytes: the same components, without breaking the text into characters
        // (which cost about 25,000 instructions a path). Other text may join a `/` and a combining mark into one
        // character, which is not a separator, so it is split by characters.
        guard isASCII else { return value.split(separator: "/", omittingEmptySubsequences: true) }
        return value.utf8.split(separator: Self.slash, omittingEmptySubsequences: true).map { value[$0.startIndex..<$0.endIndex] }
    }

    private static let slash = UInt8(ascii: "/")

    private var isASCII: Bool { value.utf8.allSatisfy { $0 < 0x80 } }

    /// The last component, e.g. `refund.md`.
    public var fileName: String {
        guard isASCII else { return components.last.map(String.init) ?? value }
        // The last run of bytes between slashes, found from the end.
        let bytes = value.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == Self.slash { end = bytes.index(before: end) }
        guard end > bytes.startIndex else { return value }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != Self.slash { start = bytes.index(before: start) }
        return String(value[start..<end])
    }

    /// The last component without its extension, e.g. `refund`.
    public var baseName: String {
        let name = fileName
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The containing folder ("" for the root).
    public var parent: RepoPath {
        guard let slash = isASCII ? value.utf8.lastIndex(of: Self.slash) : value.lastIndex(of: "/") else { return RepoPath("") }
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
        // Byte order, as Git sorts, so output order never depends on a locale: compared in place (a generic
        // element-by-element comparison was a percent of the history pass, which sorts every commit's changes).
        let inPlace = lhs.value.utf8.withContiguousStorageIfAvailable { a in
            rhs.value.utf8.withContiguousStorageIfAvailable { b -> Bool in
                let common = min(a.count, b.count)
                if common > 0, let x = a.baseAddress, let y = b.baseAddress {
                    let order = memcmp(x, y, common)
                    if order != 0 { return order < 0 }
                }
                return a.count < b.count
            }
        }
        if let inPlace = inPlace ?? nil { return inPlace }
        return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
    }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
