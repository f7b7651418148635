import SOPCore

/// The site as the preview serves it after one build.
struct SiteSnapshot: Sendable {
    /// Files of the last build that succeeded, by site-relative path (`customer-support/index.html`).
    var files: [String: [UInt8]]
    /// True once a build has succeeded: `files` come from it. False while every build so far failed.
    var hasSite: Bool
    /// True when the latest build failed; its problems are shown over every page until a build succeeds.
    var failed: Bool
    /// The latest build's problems when it failed (errors and warnings, sorted by file and line); empty otherwise.
    var problems: [Diagnostic]
    /// Names this build: pages carry it, and a browser reloads when the server announces another one.
    var stamp: String
    /// Warnings of the latest build, failed or not (a good build's are printed in the terminal, not shown over pages).
    var warnings = 0

    static func empty(stamp: String) -> SiteSnapshot {
        SiteSnapshot(files: [:], hasSite: false, failed: false, problems: [], stamp: stamp)
    }
}
