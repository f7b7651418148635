import SOPCore

/// A file a writer edits, as read from the working tree: its repository path and bytes.
public struct SourceFile: Sendable {
    public let path: RepoPath
    public let bytes: [UInt8]

    public init(path: RepoPath, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}
