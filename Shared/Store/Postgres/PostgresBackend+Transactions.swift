import PostgresNIO
import Synchronization

/// Transactions and the contention retry every operation goes through.
extension PostgresBackend {
    /// Runs `body` in one transaction on one pooled connection, opened with `begin`. A throw from
    /// `body` rolls back and is rethrown unchanged; a failed COMMIT of a read-write transaction is
    /// wrapped in ``PostgresFailure/CommitFailed`` so it is never retried (it may have applied).
    func transaction<T: Sendable>(
        _ begin: PostgresQuery = "BEGIN", readOnly: Bool = false,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withPooledConnection { connection in
            try await connection.rows(begin, logger: logger)
            let value: T
            do {
                value = try await body(connection)
            } catch {
                do {
                    try await connection.rows("ROLLBACK", logger: logger)
                } catch {
                    // The connection is in an unknown state: drop it rather than return it to the pool.
                    try? await connection.close()
                }
                throw error
            }
            do {
                try await connection.rows("COMMIT", logger: logger)
            } catch {
                if readOnly { throw error }
                throw PostgresFailure.CommitFailed(underlying: error)
            }
            return value
        }
    }

    /// Runs `operation` again after contention (a serialization failure, a deadlock, a lock
    /// timeout, a connection lost before COMMIT), up to `busyRetries` + 3 more times with a growing
    /// delay; then maps what still fails with ``PostgresFailure/storeError(_:context:)``.
    ///
    /// The whole operation has a deadline (``operationLimit``): waiting for a pooled connection
    /// stops there (``Expired``), and no attempt starts after it, so a server that is gone or
    /// restarting gives an error in bounded time, never a hang.
    func retrying<T: Sendable>(_ context: String, _ operation: () async throws -> T) async throws -> T {
        let limit = operationLimit
        let deadline = ContinuousClock.now.advanced(by: limit)
        let attempts = max(0, options.busyRetries) + 3
        var attempt = 0
        var lastError: (any Error)?
        return try await Self.$deadline.withValue(deadline) {
            while true {
                do {
                    return try await operation()
                } catch is Expired {
                    throw StoreError.database(
                        "\(context): PostgreSQL at \(url.endpoint) did not answer within \(limit) (no connection, or no answer: "
                            + "a write already sent may have been applied, read it back"
                            + (lastError.map { "; last error: \(PostgresFailure.describe($0))" } ?? "") + ")")
                } catch let error
                    where attempt < attempts && PostgresFailure.isRetryable(error) && ContinuousClock.now < deadline
                {
                    attempt += 1
                    lastError = error
                    let milliseconds = min(500, 5 << min(attempt, 7)) + Int.random(in: 0...10)
                    try await Task.sleep(for: .milliseconds(milliseconds))
                } catch {
                    throw PostgresFailure.storeError(error, context: context)
                }
            }
        }
    }

    /// A retried transaction: the usual shape of every back-end method.
    func inTransaction<T: Sendable>(
        _ context: String, _ begin: PostgresQuery = "BEGIN", readOnly: Bool = false,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await retrying(context) { try await transaction(begin, readOnly: readOnly, body) }
    }

    /// A retried single statement (autocommit), its rows collected; on `pool` (default: the main one).
    func rows(_ context: String, _ query: PostgresQuery, pool: PostgresClient? = nil) async throws -> [PostgresRow] {
        try await retrying(context) { try await withPooledConnection(from: pool) { try await $0.rows(query, logger: logger) } }
    }
}

extension PostgresConnection {
    /// Runs `query` and collects its rows (the statements here return few). Always drained, even
    /// when the rows do not matter: postgres-nio reports an error raised while a statement runs
    /// (a lock timeout, a unique violation) only through its row sequence, so a discarded sequence
    /// would hide it, and COMMIT of the then aborted transaction would quietly roll back.
    ///
    /// Inside a back-end operation (``PostgresBackend/deadline`` set) the statement runs in a task
    /// of its own and the caller stops waiting at the deadline (``PostgresBackend/Expired``):
    /// postgres-nio 1.33.2 can leave a statement unanswered forever when the server drops the
    /// connection under it (a restart), and neither cancelling nor closing the connection ends it.
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        guard let deadline = PostgresBackend.deadline else {
            return try await self.query(query, logger: logger).collect()
        }
        return try await PostgresBackend.answer(by: deadline) { try await self.query(query, logger: logger).collect() }
    }
}

extension PostgresBackend {
    /// Runs `work` in a task of its own and returns its answer, or throws ``Expired`` at
    /// `deadline` (the task is then cancelled; an answer that still comes is dropped).
    static func answer<T: Sendable>(
        by deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let answer = Answer<T>()
        let attempt = Task { answer.give(await Result(catching: work)) }
        let timer = Task {
            guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
            answer.give(.failure(Expired()))
        }
        defer { timer.cancel() }
        do {
            return try await answer.take()
        } catch {
            attempt.cancel()
            throw error
        }
    }
}

/// The first of several answers (a statement's result, a deadline), for one waiter.
final class Answer<Value: Sendable>: Sendable {
    private let state = Mutex<(result: Result<Value, any Error>?, waiter: CheckedContinuation<Value, any Error>?)>((nil, nil))

    /// False when another answer came first (this one is dropped).
    @discardableResult
    func give(_ result: Result<Value, any Error>) -> Bool {
        let waiter: CheckedContinuation<Value, any Error>?? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return .some(state.waiter)
        }
        guard let waiter else { return false }
        waiter?.resume(with: result)
        return true
    }

    func take() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, any Error>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
