import Logging
import PostgresNIO

extension PostgresBackend {
    /// Opens one connection, giving up at `deadline` with ``Expired``. postgres-nio's
    /// connectTimeout bounds the TCP connect only: a peer that accepts and never answers the
    /// startup message (a server hung mid-restart, a wrong port) would otherwise hold the caller
    /// forever. A connection that arrives after the deadline is closed.
    static func connect(
        _ configuration: PostgresConnection.Configuration, by deadline: ContinuousClock.Instant, logger: Logger
    ) async throws -> PostgresConnection {
        try await answer(by: deadline) {
            try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } late: { connection in
            try? await connection.close()
        }
    }
}
