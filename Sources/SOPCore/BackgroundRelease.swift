import Dispatch

/// Frees what a stage no longer needs on another thread, so the caller goes on at once: the history pass leaves tens
/// of thousands of small objects behind (commits, changes, repository handles and their caches), and freeing them one
/// by one took 20–30 ms of `sopsite log`'s run on the thread that prints.
public enum BackgroundRelease {
    /// Takes the caller's reference to `value`; the last reference is dropped on a background thread (or here, if the
    /// caller still holds another one).
    public static func release<Value>(_ value: consuming Value) {
        let box = Box(value)
        DispatchQueue.global(qos: .utility).async { box.empty() }
    }

    private final class Box<Value>: @unchecked Sendable {
        // @unchecked: the value is reached through this box only, which `release` hands to one closure: it is
        // touched by one thread at a time (the caller until `async`, then the background thread).
        private var value: Value?

        init(_ value: consuming Value) {
            self.value = value
        }

        func empty() { value = nil }
    }
}
