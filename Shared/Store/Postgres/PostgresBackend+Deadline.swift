import PostgresNIO
import Synchronization

/// A bounded wait for a pooled connection. postgres-nio's pool queues a lease request while it
/// cannot connect (a restarting server) and only fails it once its circuit breaker trips, so a
/// caller could wait minutes, or forever if the pool never recovers; every back-end operation
/// therefore waits at most until a deadline and then fails with ``StoreError/database(_:)``.
extension PostgresBackend {
    /// How long one back-end operation (its retries and its waits for a connection included) may
    /// take before it is reported: six busy timeouts (lock_timeout bounds each statement's lock waits;
    /// callers queued for one of the pool's 4 connections under load wait their turn, seen past
    /// 25 s in CI) and a few seconds for connecting.
    var operationLimit: Duration { Self.operationLimit(options) }

    static func operationLimit(_ options: StoreOptions) -> Duration {
        .milliseconds(Int((max(0, options.busyTimeout) * 6 + 5) * 1000))
    }

    /// How long opening (connecting, migrating, checking the key) may take: a migration waits up
    /// to 60 s for another host's (PostgresMigrations' lock_timeout), then an operation's limit.
    /// A server that accepts the connection and never answers is reported then, and the daemon
    /// retries (DaemonStoreOpening) instead of hanging at start.
    static func openLimit(_ options: StoreOptions) -> Duration {
        .seconds(60) + operationLimit(options)
    }

    /// Thrown when no pooled connection arrived, or a statement did not answer, before the deadline.
    struct Expired: Error {}

    /// The deadline of the operation running in this task (set by ``retrying(_:_:)``).
    @TaskLocal static var deadline: ContinuousClock.Instant?

    /// Runs `body` on a pooled connection leased before the operation's deadline (or now plus
    /// ``operationLimit`` outside one). The lease is held by a task of
    /// its own (``PostgresClient/withConnection(_:)`` is the only way to lease), which hands the
    /// connection over and returns it to the pool once `body` is done; on the deadline that task is
    /// cancelled, which withdraws its request from the pool.
    func withPooledConnection<T: Sendable>(
        from pool: PostgresClient? = nil, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let deadline = Self.deadline ?? .now.advanced(by: operationLimit)
        let handoff = LeaseHandoff()
        let client = pool ?? self.client
        let holder = Task {
            try await client.withConnection { connection in
                await handoff.offer(connection)
            }
        }
        let timer = Task {
            // Cancelled (the operation finished in time): nothing to expire.
            guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
            handoff.expire()
        }
        // A holder that failed (the pool refused: circuit breaker, shutdown) reports its error.
        let failure = Task {
            if case .failure(let error) = await holder.result { handoff.fail(error) }
        }
        defer { timer.cancel() }
        let connection: PostgresConnection
        do {
            connection = try await handoff.take()
        } catch {
            holder.cancel()
            failure.cancel()
            throw error
        }
        defer { handoff.release() }
        return try await body(connection)
    }
}

/// Hands a leased connection from the task holding the lease to the operation, and the end of
/// the operation back. Whichever of offer, fail and expire comes first decides what `take` gets.
final class LeaseHandoff: Sendable {
    private enum State {
        case waiting(taker: CheckedContinuation<PostgresConnection, any Error>?)
        case offered(PostgresConnection)
        /// The operation has the connection: on the deadline it is closed, which fails a statement
        /// that would otherwise never answer (postgres-nio can leave one waiting on a connection
        /// the server dropped mid-query).
        case taken(PostgresConnection)
        case failed(any Error)
    }

    private let state = Mutex<State>(.waiting(taker: nil))
    /// Resumed when the operation is done (or never took the connection), so the lease ends.
    private let done = Mutex<(released: Bool, holder: CheckedContinuation<Void, Never>?)>((false, nil))

    func take() async throws -> PostgresConnection {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<PostgresConnection, any Error>? = state.withLock { state in
                switch state {
                case .waiting:
                    state = .waiting(taker: continuation)
                    return nil
                case .offered(let connection):
                    state = .taken(connection)
                    return .success(connection)
                case .taken:
                    return .failure(PostgresBackend.Expired())
                case .failed(let error):
                    return .failure(error)
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// From the lease holder: gives the connection and waits until the operation is done with it.
    func offer(_ connection: PostgresConnection) async {
        let (accepted, taker): (Bool, CheckedContinuation<PostgresConnection, any Error>?) = state.withLock { state in
            guard case .waiting(let waiting) = state else { return (false, nil) }
            state = waiting == nil ? .offered(connection) : .taken(connection)
            return (true, waiting)
        }
        // Too late (expired or failed): return the connection to the pool at once.
        guard accepted else { return }
        taker?.resume(returning: connection)
        await withCheckedContinuation { continuation in
            let released = done.withLock { done in
                if done.released { return true }
                done.holder = continuation
                return false
            }
            if released { continuation.resume() }
        }
    }

    func fail(_ error: any Error) { end(.failed(error), error) }

    func expire() {
        let leased: PostgresConnection? = state.withLock { state in
            if case .taken(let connection) = state { return connection }
            return nil
        }
        if let leased {
            Task { try? await leased.close() }
        } else {
            end(.failed(PostgresBackend.Expired()), PostgresBackend.Expired())
        }
    }

    private func end(_ final: State, _ error: any Error) {
        let taker: CheckedContinuation<PostgresConnection, any Error>?? = state.withLock { state in
            guard case .waiting(let waiting) = state else { return nil }
            state = final
            return .some(waiting)
        }
        if let taker { taker?.resume(throwing: error) }
    }

    func release() {
        let holder = done.withLock { done in
            done.released = true
            defer { done.holder = nil }
            return done.holder
        }
        holder?.resume()
    }
}
