import Dispatch
import Foundation
import Git
import SOPCore

/// Repository handles for the parts of the history pass that are independent per item (what each commit changed, how
/// each pair of blobs classifies), one handle per thread: libgit2 handles are not shared between threads.
///
/// Items are handed out in chunks of consecutive indexes, the next chunk to whichever worker is free, so a busy core
/// (the machine is shared, or documents load at the same time) does not hold the others up; consecutive items keep
/// each handle's object and delta caches warm (a commit's parent tree is usually the next commit's tree). A chunk is
/// worked from its last index to its first: for the walk's commits that is oldest first, which let libgit2 resolve
/// a quarter fewer objects from scratch (its delta-base cache keeps the bases it applied deltas to, not the objects
/// asked for). Results come back in index order, so nothing downstream depends on scheduling.
final class RepositoryWorkers {
    /// One thread's handle and the blobs it read last (a document's consecutive versions share one blob).
    final class Worker: @unchecked Sendable {
        // @unchecked: a worker is used by one thread at a time (the one `map` runs its share on).
        let repository: Repository
        private var blobs: [ObjectID: BlobContent] = [:]

        init(_ repository: Repository) {
            self.repository = repository
        }

        func blob(_ id: ObjectID) throws(GitError) -> BlobContent {
            if let known = blobs[id] { return known }
            let read = try repository.blobContent(id)
            if blobs.count >= 64 { blobs.removeAll(keepingCapacity: true) }
            blobs[id] = read
            return read
        }
    }

    private let workers: [Worker]

    /// `count` workers: the first uses `repository`, the others open it again.
    /// - Throws: `GitError` when the repository cannot be opened again.
    init(repository: Repository, count: Int) throws(GitError) {
        var workers = [Worker(repository)]
        for _ in 1..<max(1, count) { workers.append(Worker(try repository.reopened())) }
        self.workers = workers
    }

    /// `body` for every index in `0..<count`, in chunks of `chunk` consecutive indexes spread over the workers.
    /// - Returns: the results in index order.
    /// - Throws: the error of the lowest failing index (the same one however the chunks were scheduled).
    func map<T: Sendable>(_ count: Int, chunk: Int, _ body: @Sendable (Worker, Int) throws(GitError) -> T) throws(GitError) -> [T] {
        let chunk = max(1, chunk)
        let chunks = (count + chunk - 1) / chunk
        if workers.count == 1 || chunks < 2 {
            var results: [T] = []
            results.reserveCapacity(count)
            for index in 0..<count { results.append(try body(workers[0], index)) }
            return results
        }
        let slots = ResultSlots<T>(count: count)
        let schedule = Schedule(chunks: chunks)
        let workers = workers
        DispatchQueue.concurrentPerform(iterations: workers.count) { workerIndex in
            let worker = workers[workerIndex]
            while let next = schedule.take() {
                for index in (next * chunk..<min(count, (next + 1) * chunk)).reversed() {
                    do throws(GitError) {
                        slots.store(try body(worker, index), at: index)
                    } catch {
                        schedule.fail(error, at: index)
                        break
                    }
                }
            }
        }
        if let failure = schedule.failure { throw failure.error }
        return slots.collect()
    }

    /// Starts `body` on the second worker's handle, on a thread of its own, while the caller goes on (nil with one
    /// worker). The caller must not use `map` until it has called `finish()` on the result.
    func startAside<T: Sendable>(_ body: @escaping @Sendable (Worker, Aside<T>) -> T) -> Aside<T>? {
        guard workers.count > 1 else { return nil }
        let aside = Aside<T>()
        let worker = workers[1]
        DispatchQueue.global().async { aside.complete(body(worker, aside)) }
        return aside
    }

    /// Work started by `startAside`: it polls `isStopped` and returns what it has when asked to stop.
    final class Aside<T: Sendable>: @unchecked Sendable {
        // @unchecked: `stopped` and `result` are read and written under `lock`; `done` orders the result's write
        // before `finish` reads it.
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private var stopped = false
        private var result: T?

        var isStopped: Bool { lock.withLock { stopped } }

        fileprivate func complete(_ value: T) {
            lock.withLock { result = value }
            done.signal()
        }

        /// Asks the work to stop, waits for it and returns its result.
        func finish() -> T {
            lock.withLock { stopped = true }
            done.wait()
            return lock.withLock { result! }
        }
    }

    /// Which chunk is next, and the first failure by index; shared by the workers under a lock.
    private final class Schedule: @unchecked Sendable {
        // @unchecked: every property is read and written under `lock` only.
        private let lock = NSLock()
        private let chunks: Int
        private var next = 0
        private var stopped = false
        private(set) var failure: (error: GitError, index: Int)?

        init(chunks: Int) {
            self.chunks = chunks
        }

        func take() -> Int? {
            lock.withLock {
                guard !stopped, next < chunks else { return nil }
                next += 1
                return next - 1
            }
        }

        func fail(_ error: GitError, at index: Int) {
            lock.withLock {
                stopped = true
                if failure == nil || index < failure!.index { failure = (error, index) }
            }
        }
    }
}
