/// Where a build reports the stage it is in, for a progress display (the CLI's, on a terminal) or a `--verbose` log.
///
/// The pipeline reports to `BuildProgress.current`, a task-local value, so no stage's signature changes for it:
/// `await BuildProgress.$current.withValue(progress) { await BuildPipeline.run(request) }`. When it is nil (the
/// default: tests, CI) nothing is reported. Events arrive in order, from the task running the build.
public struct BuildProgress: Sendable {
    public enum Event: Sendable, Equatable {
        /// A long stage began, e.g. "rendering 2001 pages".
        case started(String)
        /// A stage ended after `seconds` of wall time (the same stages and times as `BuildReport.timings`).
        case finished(stage: String, seconds: Double)
    }

    private let handler: @Sendable (Event) -> Void

    /// - Parameter handler: called for every event; it must return quickly (it runs on the build's task).
    public init(_ handler: @escaping @Sendable (Event) -> Void) {
        self.handler = handler
    }

    public func report(_ event: Event) { handler(event) }

    /// The progress of builds started in this task and its child tasks.
    @TaskLocal public static var current: BuildProgress?
}
