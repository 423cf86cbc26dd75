/// A counting semaphore for async code that hands permits out in arrival order: bmcd's global
/// limit on BMC commands in flight, and (with one permit) the one-command-per-BMC queue.
/// Cancellation of a waiter removes it from the queue and throws `CancellationError`.
public actor AsyncFIFOSemaphore {
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    public init(permits: Int) {
        precondition(permits > 0, "a semaphore needs at least one permit")
        available = permits
    }

    /// Waits for a permit; pair every successful call with one `release()`.
    public func acquire() async throws {
        if available > 0 && waiters.isEmpty {
            available -= 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    public func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    /// Runs `body` holding one permit.
    public func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
