import AnvilPower
import Synchronization

/// Runs `operation` but answers by `timeout` at the latest: the caller gets
/// `.deadlineExceeded` while the operation, cancelled, finishes its current exchange on its own
/// (it holds the BMC's queue until then, so nothing overlaps on the wire).
enum Deadline {
    static func run<T: Sendable>(
        _ timeout: Duration, what: String, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            race.pending.withLock { $0 = continuation }
            let timer = Task {
                do { try await Task.sleep(for: timeout) } catch { return }
                guard let waiting = race.pending.withLock({ $0.take() }) else { return }
                race.work.withLock { $0 }?.cancel()
                waiting.resume(throwing: PowerError.deadlineExceeded("\(what) did not finish within \(timeout)"))
            }
            let task = Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                timer.cancel()
                race.pending.withLock { $0.take() }?.resume(with: result)
            }
            race.work.withLock { $0 = task }
        }
    }

    /// Whoever finishes first — the operation or the timer — resumes the caller, once.
    private final class Race<T: Sendable>: Sendable {
        let pending = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let work = Mutex<Task<Void, Never>?>(nil)
    }
}
