import Synchronization

/// Wakes this process's store watchers: told of every revision committed here and of every
/// bus hint from another process (docs/architecture.md "Change feed and hints"). A watcher
/// waits with a timeout, its polling safety net, so a lost hint only delays it.
public final class StoreChangeSignal: Sendable {
    private struct State {
        var latest: Int64 = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The newest revision signalled so far.
    public var latest: Int64 { state.withLock { $0.latest } }

    /// Something at `revision` was committed: wakes every waiter that has not seen it.
    public func changed(revision: Int64) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard revision > state.latest else { return [] }
            state.latest = revision
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once a revision after `revision` is signalled, after `timeout`, or when cancelled.
    public func wait(after revision: Int64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.signalled(after: revision) }
            _ = await group.next()
            group.cancelAll()
        }
    }

    private func signalled(after revision: Int64) async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    // Checked under the lock the cancellation handler also takes, so neither is missed.
                    if state.latest > revision || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
