import Synchronization

/// Waiting for a task's result only until a deadline: a store call that hangs (its server gone)
/// must not hold the reconciler past its lease (Services/reconciler/Core/LeaderLease.swift).
enum TaskDeadline {
    /// The task's result, or nil when `deadline` came first (the task keeps running; cancel it).
    static func result<T: Sendable>(
        of task: Task<T, any Error>, before deadline: ContinuousClock.Instant
    ) async -> Result<T, any Error>? {
        let resumed = Mutex(false)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            @Sendable func finish(_ value: Result<T, any Error>?) {
                let first = resumed.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: value) }
            }
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                if !Task.isCancelled { finish(nil) }
            }
            Task {
                let value = await task.result
                finish(value)
                timer.cancel()
            }
        }
    }
}
