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
}
