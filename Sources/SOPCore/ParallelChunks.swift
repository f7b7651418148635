import Dispatch
import Foundation

/// Work split into contiguous chunks, one child task each, results in input order: used wherever a stage's items are
/// independent and each costs more than a fraction of a millisecond (STYLE §7). Output never depends on scheduling.
public enum ParallelChunks {
    /// Maps `body` over at most `maxChunks` contiguous slices of `items` (default: two per processor), concurrently.
    /// - Returns: one result per slice, in the order of the slices; empty for no items.
    public static func map<Item: Sendable, Output: Sendable>(_ items: [Item], maxChunks: Int? = nil,
                                                            _ body: @escaping @Sendable (ArraySlice<Item>) -> Output) async -> [Output] {
        guard !items.isEmpty else { return [] }
        let count = max(1, min(items.count, maxChunks ?? ProcessInfo.processInfo.activeProcessorCount * 2))
        let size = (items.count + count - 1) / count
        let slices = stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
        return await withTaskGroup(of: (Int, Output).self) { group in
            for (index, slice) in slices.enumerated() {
                group.addTask { (index, body(slice)) }
            }
            var collected: [(Int, Output)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// `map` for synchronous callers (the history pass, `sopsite log`'s printing): the slices run on Dispatch's
    /// threads and the caller waits.
    /// - Returns: one result per slice, in the order of the slices; empty for no items.
    public static func mapWaiting<Item: Sendable, Output: Sendable>(_ items: [Item], maxChunks: Int? = nil,
                                                                   _ body: @Sendable (ArraySlice<Item>) -> Output) -> [Output] {
        guard !items.isEmpty else { return [] }
        let count = max(1, min(items.count, maxChunks ?? ProcessInfo.processInfo.activeProcessorCount * 2))
        let size = (items.count + count - 1) / count
        let slices = stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
        if slices.count == 1 { return [body(slices[0])] }
        let results = ResultSlots<Output>(count: slices.count)
        DispatchQueue.concurrentPerform(iterations: slices.count) { index in results.store(body(slices[index]), at: index) }
        return results.collect()
    }

}

/// One result slot per index for work spread over threads (`DispatchQueue.concurrentPerform`): each slot is written by
/// the one iteration that computed it and read only after all have finished, so the slots need no lock.
public final class ResultSlots<Output: Sendable>: @unchecked Sendable {
    // @unchecked: slots are written once each, by distinct iterations; `concurrentPerform` returns only after all
    // (a happens-before edge for `collect`).
    private let slots: UnsafeMutableBufferPointer<Output?>

    public init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    public func store(_ value: Output, at index: Int) { slots[index] = value }

    /// Every slot's value, in index order; traps if one was never stored (a programming error).
    public func collect() -> [Output] { slots.map { $0! } }
}
