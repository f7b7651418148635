import Foundation

/// A fresh folder under the system temporary folder, removed when this object goes away. Each test owns its own.
public final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: `path` is immutable; the folder is only removed in deinit.
    public let path: String

    public init(prefix: String = "sopsite-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/" + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` at `relative` (creating folders).
    public func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
