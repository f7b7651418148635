import Foundation
import Testing
@testable import SOPCore

@Suite struct ThreadTaskTests {
    @Test("every waiter gets the work's result, whether it asks before or after the work is done")
    func deliversToEveryWaiter() async {
        let gate = DispatchSemaphore(value: 0)
        let task = ThreadTask { () -> [Int] in
            gate.wait()
            return Array(1...3)
        }
        async let first = task.value
        async let second = task.value
        gate.signal()
        #expect(await first == [1, 2, 3])
        #expect(await second == [1, 2, 3])
        #expect(await task.value == [1, 2, 3])
    }

    @Test("background work runs at a lower priority than the thread that started it")
    func backgroundIsNicer() async {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let own = getpriority(which, 0)
        #expect(await ThreadTask(background: true) { getpriority(which, 0) }.value == min(19, own + 10))
        #expect(await ThreadTask { getpriority(which, 0) }.value == own)
        #endif
    }
}
