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
        let answer = Answer<PostgresConnection>()
        let attempt = Task {
            let result = await Result { try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger) }
            if !answer.give(result), case .success(let late) = result { try? await late.close() }
        }
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
