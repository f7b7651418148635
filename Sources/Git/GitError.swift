import CGit2

/// A libgit2 call that failed, with libgit2's own message (read on the same thread, as it is thread-local).
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libgit2 function that failed, e.g. `git_diff_tree_to_tree`, or a sopsite check such as `open`.
    public let function: String
    /// libgit2's return code (negative), or 0 for a check made by sopsite itself.
    public let code: Int32
    public let message: String

    public init(function: String, code: Int32, message: String) {
        self.function = function
        self.code = code
        self.message = message
    }

    public var description: String { "\(function) failed (\(code)): \(message)" }

    /// Captures `git_error_last()` for a failed call.
    static func last(_ function: String, _ code: Int32) -> GitError {
        var message = "unknown libgit2 error"
        if let error = git_error_last(), let text = error.pointee.message {
            message = String(cString: text)
        }
        return GitError(function: function, code: code, message: message)
    }
}

/// Runs a libgit2 call and throws `GitError` for a negative result.
@inline(__always)
func check(_ function: String, _ code: Int32) throws(GitError) {
    if code < 0 { throw GitError.last(function, code) }
}
