import Foundation
import SopsiteKit

/// One line on standard error saying what a long build is doing, redrawn in place and erased when the build ends.
/// Drawn only on a terminal, and only once a build has run for half a second: short builds, logs and CI stay quiet
/// (`--verbose` prints the stages' times after the build instead).
final class ProgressDisplay: @unchecked Sendable {
    // @unchecked: every mutable field is read and written under `lock`.
    private let lock = NSLock()
    private var label = "starting"
    private var started = ContinuousClock.now
    private var isRunning = false
    private var isDrawn = false
    private var frame = 0
    private var ticker: Task<Void, Never>?

    private static let delay: Duration = .milliseconds(500)
    private static let frames = ["|", "/", "-", "\\"]

    /// A display when standard error is a terminal (not with `TERM=dumb`, nor under CI); nil otherwise.
    static func onTerminal() -> ProgressDisplay? {
        let environment = ProcessInfo.processInfo.environment
        guard isatty(STDERR_FILENO) == 1, environment["TERM"] != "dumb", environment["CI"] == nil else { return nil }
        return ProgressDisplay()
    }

    /// Runs `build` with a display on a terminal (none elsewhere).
    static func whileRunning<T: Sendable>(_ build: () async -> T) async -> T {
        guard let display = onTerminal() else { return await build() }
        display.begin()
        let result = await BuildProgress.$current.withValue(display.progress) { await build() }
        display.end()
        return result
    }

    /// What the build reports to: the stage it starts becomes the line's text.
    var progress: BuildProgress {
        BuildProgress { [self] event in
            guard case .started(let stage) = event else { return }
            lock.withLock { label = stage }
        }
    }

    func begin() {
        lock.withLock {
            started = .now
            label = "starting"
            isRunning = true
        }
        ticker = Task.detached { [self] in
            while !Task.isCancelled {
                draw()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    func end() {
        ticker?.cancel()
        ticker = nil
        lock.withLock {
            isRunning = false
            if isDrawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            isDrawn = false
        }
    }

    private func draw() {
        lock.withLock {
            let elapsed = ContinuousClock.now - started
            guard isRunning, elapsed >= Self.delay else { return }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            frame = (frame + 1) % Self.frames.count
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(Self.frames[frame]) \(label)… \(String(format: "%.1f", seconds)) s".utf8))
            isDrawn = true
        }
    }
}
