import Foundation
import PostgresNIO
import Synchronization

/// The store's rows in a PostgreSQL database shared by several hosts (docs/architecture.md
/// "Store"; docs/plans/issue-18-store-backends.md §3 C1–C7, §6). One ``PostgresClient`` pool per
/// process; its `run()` lives in a task this back-end owns and ``close()`` cancels.
package final class PostgresBackend: StoreBackend, Sendable {
    let client: PostgresClient
    /// One connection of its own for leases: a leader's renewal never queues behind its own
    /// controllers' writes for a pooled connection (it did, and leadership flapped under load).
    let leaseClient: PostgresClient
    let url: PostgresURL
    let options: StoreOptions
    let logger: Logger
    /// Other hosts' commits (one dedicated connection, started by the first ``changeNotifications()``).
    let listener: PostgresChangeListener
    /// `anvil_changes_<schema>`, notified by every resource write.
    let channel: String
    private let runner: Task<Void, Never>
    /// The latest revision this process wrote or read: the ``StoreChangeStamp`` of this back-end.
    private let latestRevision = Mutex<Int64>(0)

    private init(
        client: PostgresClient, leaseClient: PostgresClient, listening: PostgresConnection.Configuration, url: PostgresURL,
        options: StoreOptions, logger: Logger
    ) {
        self.client = client
        self.leaseClient = leaseClient
        self.url = url
        self.options = options
        self.logger = logger
        let channel = PostgresChangeListener.channel(schema: url.schema)
        self.channel = channel
        listener = PostgresChangeListener(configuration: listening, channel: channel, logger: logger)
        runner = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await leaseClient.run() }
            }
        }
    }

    /// Connects, migrates the schema and checks the secrets key at `keyPath` against the
    /// database's record (C7). An unreachable server is a ``StoreError/database(_:)`` naming
    /// host:port and the cause; the caller decides whether to retry.
    package static func open(url text: String, keyPath: String, options: StoreOptions) async throws
        -> (backend: PostgresBackend, key: [UInt8])
    {
        let url = try PostgresURL(parsing: text)
        // Failures reach the caller as errors; postgres-nio's own chatter stays out of the daemon's log.
        var logger = Logger(label: "anvil.store.postgres")
        logger.logLevel = .critical
        let key: [UInt8]
        do {
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(
                    configuration: try url.connectionConfiguration(options: options), id: 0, logger: logger)
            } catch {
                throw StoreError.database(
                    "cannot connect to PostgreSQL at \(url.endpoint) (database \(url.database), user \(url.user)): "
                        + PostgresFailure.describe(error))
            }
            let limit = openLimit(options)
            do {
                // Each statement is bounded by the deadline (PostgresConnection.rows).
                key = try await $deadline.withValue(.now.advanced(by: limit)) {
                    try await preparing(connection, url: url, keyPath: keyPath, options: options, logger: logger)
                }
            } catch {
                try? await connection.close()
                if error is Expired {
                    throw StoreError.database("opening \(url): PostgreSQL at \(url.endpoint) did not answer within \(limit)")
                }
                throw error
            }
            try? await connection.close()
        } catch {
            throw PostgresFailure.storeError(error, context: "opening \(url)")
        }
        let listening: PostgresConnection.Configuration
        do {
            listening = try url.connectionConfiguration(options: options, applicationName: "anvil-listen/\(url.schema)")
        } catch {
            throw PostgresFailure.storeError(error, context: "opening \(url)")
        }
        let client = PostgresClient(configuration: url.clientConfiguration(options: options), backgroundLogger: logger)
        let leaseClient = PostgresClient(configuration: url.clientConfiguration(options: options, connections: 1), backgroundLogger: logger)
        return (
            PostgresBackend(
                client: client, leaseClient: leaseClient, listening: listening, url: url, options: options, logger: logger),
            key
        )
    }

    /// Migrates and checks the key, again after contention (a deadlock, or a lock still held
    /// when the migration's lock_timeout ran out).
    private static func preparing(
        _ connection: PostgresConnection, url: PostgresURL, keyPath: String, options: StoreOptions, logger: Logger
    ) async throws -> [UInt8] {
        var attempt = 0
        while true {
            do {
                try await PostgresMigrations.migrate(connection, schema: url.schema, logger: logger)
                return try await PostgresSecretKeyCheck.verifiedKey(
                    keyPath: keyPath, store: url.description, connection: connection, logger: logger)
            } catch let error where attempt < max(0, options.busyRetries) + 3 && PostgresFailure.isContention(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }

    package func integrityCheck() async throws -> String? { nil }

    /// The latest revision written, read or heard from another host: other hosts' commits reach
    /// it as notifications while someone listens (a daemon always does), so ``StoreReadCache``
    /// entries go stale at once, not after their maximum age.
    package func changeStamp() -> StoreChangeStamp {
        StoreChangeStamp(revision: max(latestRevision.withLock { $0 }, listener.latest))
    }

    /// A new stream fed by the one listener (each call its own, so several consumers can listen).
    package func changeNotifications() -> AsyncStream<Int64>? {
        listener.subscribe()
    }

    /// Raises the stamp to `revision` (never lowers it: answers may arrive out of order).
    func saw(revision: Int64) {
        latestRevision.withLock { $0 = max($0, revision) }
    }

    package func close() async {
        await listener.close()
        runner.cancel()
        await runner.value
    }
}
