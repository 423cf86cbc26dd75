import PostgresNIO

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
        return try await client.withConnection { connection in
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
    func retrying<T: Sendable>(_ context: String, _ operation: () async throws -> T) async throws -> T {
        let attempts = max(0, options.busyRetries) + 3
        var attempt = 0
        while true {
            do {
                return try await operation()
            } catch let error where attempt < attempts && PostgresFailure.isRetryable(error) {
                attempt += 1
                let milliseconds = min(500, 5 << min(attempt, 7)) + Int.random(in: 0...10)
                try await Task.sleep(for: .milliseconds(milliseconds))
            } catch {
                throw PostgresFailure.storeError(error, context: context)
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

    /// A retried single statement (autocommit), its rows collected.
    func rows(_ context: String, _ query: PostgresQuery) async throws -> [PostgresRow] {
        try await retrying(context) { try await client.query(query, logger: logger).collect() }
    }
}

extension PostgresConnection {
    /// Runs `query` and collects its rows (the statements here return few). Always drained, even
    /// when the rows do not matter: postgres-nio reports an error raised while a statement runs
    /// (a lock timeout, a unique violation) only through its row sequence, so a discarded sequence
    /// would hide it, and COMMIT of the then aborted transaction would quietly roll back.
    @discardableResult
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
