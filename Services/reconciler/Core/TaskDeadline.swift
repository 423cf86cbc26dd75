import Synchronization

/// Waiting for a task's result only until a deadline: a store call that hangs (its server gone)
/// must not hold the reconciler past its lease (Services/reconciler/Core/LeaderLease.swift).
enum TaskDeadline {
    /// The task's result, or nil when `deadline` came first (the task keeps running; cancel it).
    static func result<T: Sendable>(
        of task: Task<T, any Error>, before deadline: ContinuousClock.Instant
    ) async -> Result<T, any Error>? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                if !Task.isCancelled { once.resume(nil) }
            }
            Task {
                once.resume(await task.result)
                timer.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever of two racers comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: T) {
        continuation.withLock { pending in
            pending?.resume(returning: value)
            pending = nil
        }
    }
}
