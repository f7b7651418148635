import Foundation

/// Synchronous work run on a thread of its own, outside Swift's cooperative pool, with its result awaited like a
/// task's. The pool has one thread per processor: a long synchronous job started there as a detached task (checking
/// the spare site's 29,000 files, reading a 10 MB cache, writing one) held a thread until it was done, and the
/// build's own next step, waiting for a free thread, took several times its CPU time on two processors. A thread of
/// its own leaves the sharing to the kernel's scheduler.
public final class ThreadTask<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `result` and `waiting` are only touched under `lock`.
    private let lock = NSLock()
    private var result: Value?
    private var waiting: [CheckedContinuation<Value, Never>] = []

    /// Starts `work` at once.
    /// - Parameter background: run at a lower priority (10 nice steps below the thread that starts it, at most 19: a
    ///   tenth of its share of a busy processor), for work not needed until later: it then fills the time the build's
    ///   own steps leave a processor idle (assembling the site runs on one) instead of taking half of it from them.
    ///   Relative, so that a build started with `nice` (CI, the benchmark) still puts its background below itself.
    public init(background: Bool = false, _ work: @escaping @Sendable () -> Value) {
        #if os(Linux)
        // Linux keeps a nice value per thread (a new thread starts with its creator's); 0 names the calling one.
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let niceness = background ? min(19, getpriority(which, 0) + 10) : nil
        #endif
        let thread = Thread { [self] in
            #if os(Linux)
            if let niceness { _ = setpriority(which, 0, niceness) }
            #endif
            let value = work()
            let waiters = lock.withLock {
                result = value
                defer { waiting = [] }
                return waiting
            }
            for waiter in waiters { waiter.resume(returning: value) }
        }
        // As much stack as the main thread: the work may recurse (a folder tree).
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The work's result, once it is done.
    public var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let done: Value? = lock.withLock {
                    if let result { return result }
                    waiting.append(continuation)
                    return nil
                }
                if let done { continuation.resume(returning: done) }
            }
        }
    }
}
