/// Exponential backoff with a cap and an overall deadline: the agent retries the API patiently
/// and says so on the console, and never hangs silently (docs/agent.md "Failures").
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// How long to keep trying before giving up; nil = forever.
    public var deadline: Duration?

    public init(initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(30), deadline: Duration? = .seconds(300)) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.deadline = deadline
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): 1 s, 2 s, 4 s … capped.
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) {
            delay = delay * 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }

    /// Runs `operation` until it succeeds, fails for good, or the deadline passes; each failure is
    /// logged with what happens next. `sleep` is injectable so tests do not wait.
    public func run<T: Sendable>(
        _ what: String,
        log: @Sendable (String) -> Void,
        sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        clock: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        _ operation: () async throws -> T
    ) async throws -> T {
        let start = clock()
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let error as AgentAPIError where !error.isRetryable {
                log("\(what) failed: \(error.message); not retrying (the request itself was refused)")
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let wait = delay(afterAttempt: attempt)
                if let deadline, clock() - start + wait > deadline {
                    log("\(what) failed: \(error); giving up after \(attempt) attempts")
                    throw error
                }
                log("\(what) failed: \(error); retrying in \(Self.seconds(wait)) (attempt \(attempt + 1))")
                try await sleep(wait)
                attempt += 1
            }
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds == 0 { return "\(attoseconds / 1_000_000_000_000_000) ms" }
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? "\(seconds) s" : "\(seconds).\(tenths) s"
    }
}
