/// Where a problem is: a repository-relative path and a 1-based file line (and column when known).
public struct SourceLocation: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let path: RepoPath
    public let line: Int?
    public let column: Int?

    public init(_ path: RepoPath, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// `content/support/refund.md:5:3`, the form compilers and editors jump to.
    public var description: String {
        var text = path.value
        if let line { text += ":\(line)" }
        if let line, line > 0, let column { text += ":\(column)" }
        return text
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.path != rhs.path { return lhs.path < rhs.path }
        if lhs.line != rhs.line { return (lhs.line ?? 0) < (rhs.line ?? 0) }
        return (lhs.column ?? 0) < (rhs.column ?? 0)
    }
}

/// A problem in a user's file, reported with every other problem of the run (never thrown).
///
/// Modelled on swift-docc's diagnostics: a stable `code`, a location, notes pointing at related places, and a fix.
public struct Diagnostic: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning, error
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    public let severity: Severity
    /// Stable identifier, e.g. `front-matter.yaml`, for filtering and documentation.
    public let code: String
    public let message: String
    public let location: SourceLocation
    /// Other places that explain the problem, e.g. the first file with the same `id`.
    public let notes: [Note]
    /// What to write instead, when there is one thing to say.
    public let fix: String?

    public struct Note: Hashable, Sendable, Codable {
        public let message: String
        public let location: SourceLocation
        public init(_ message: String, at location: SourceLocation) {
            self.message = message
            self.location = location
        }
    }

    public init(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation,
                notes: [Note] = [], fix: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
        self.fix = fix
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation, notes: [Note] = [], fix: String? = nil) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, notes: notes, fix: fix)
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation, notes: [Note] = [], fix: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, notes: notes, fix: fix)
    }

    /// `content/support/refund.md:5: error: … [code]`, followed by the fix and notes on their own lines.
    public var description: String {
        var text = (location.path.value.isEmpty ? "" : "\(location): ") + "\(severity.rawValue): \(message)"
        if let fix { text += "; \(fix)" }
        text += " [\(code)]"
        for note in notes { text += "\n\(note.location): note: \(note.message)" }
        return text
    }

    /// Sorted by path, line, column, then code and message, so reports are stable.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.code != rhs.code { return lhs.code < rhs.code }
        return lhs.message < rhs.message
    }
}

/// A stage's result together with the problems it found on the way (value is built from what was valid).
public struct Diagnosed<Value: Sendable>: Sendable {
    public var value: Value
    public var diagnostics: [Diagnostic]

    public init(_ value: Value, diagnostics: [Diagnostic] = []) {
        self.value = value
        self.diagnostics = diagnostics
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
