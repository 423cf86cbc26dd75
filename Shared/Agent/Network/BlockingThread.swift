#if os(Linux)
import Foundation
import Synchronization

/// Runs blocking socket work on its own thread, so a DHCP exchange that waits minutes for a
/// server never holds one of the few threads of Swift's cooperative pool.
enum BlockingThread {
    /// Set when the awaiting task is cancelled; the work checks it between short polls.
    final class Cancellation: Sendable {
        private let flag = Atomic<Bool>(false)
        var isCancelled: Bool { flag.load(ordering: .acquiring) }
        func cancel() { flag.store(true, ordering: .releasing) }
    }

    /// Runs `work` on a new thread called `name` and returns its result.
    static func run<T: Sendable>(name: String, _ work: @escaping @Sendable (Cancellation) throws -> T) async throws -> T {
        let cancellation = Cancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { try work(cancellation) })
                }
                thread.name = name
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
#endif
