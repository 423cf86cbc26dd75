import Foundation
import PostgresNIO

/// The `resources` table: reads, and the write transaction that takes a revision (C2).
extension PostgresBackend {
    static let rowColumns = "kind, namespace, name, uid, api_version, metadata, body, sealed, resource_version"

    package func fetch(_ key: ResourceKey) async throws -> StoredRow? {
        try await retrying("reading \(Self.describe(key))") {
            try await withPooledConnection { connection in try await Self.fetchRow(connection, key, logger: logger) }
        }
    }

    package func list(kind: String, namespace: String?) async throws -> [StoredRow] {
        let query: PostgresQuery
        // The key columns are COLLATE "C": byte-wise order, as SQLite's BINARY (C1).
        if let namespace {
            query = """
                SELECT \(unescaped: Self.rowColumns) FROM resources WHERE kind = \(kind) AND namespace = \(namespace)
                ORDER BY namespace, name
                """
        } else {
            query = """
                SELECT \(unescaped: Self.rowColumns) FROM resources WHERE kind = \(kind) ORDER BY namespace, name
                """
        }
        let rows = try await rows("listing \(kind)", query)
        do {
            return try rows.map(Self.storedRow)
        } catch {
            throw PostgresFailure.storeError(error, context: "listing \(kind)")
        }
    }

    package func writeResource<T: Sendable>(
        _ key: ResourceKey, fence: WriteFence?, _ decide: @Sendable (_ stored: StoredRow?, _ nextRevision: Int64) throws -> WriteDecision<T>
    ) async throws -> T {
        let logger = self.logger
        let channel = self.channel
        let (result, revision): (T, Int64?) = try await inTransaction("writing \(Self.describe(key))") { connection in
            // Locking the one revision row serialises every resource writer on every host, so the
            // next revision is exact and commit order is revision order: the feed has no visible gaps.
            guard let current = try await connection.rows(
                "SELECT value FROM revision WHERE id = 1 FOR UPDATE", logger: logger
            ).first.map({ try $0.decode(Int64.self) })
            else { throw StoreError.corrupt("revision counter missing") }
            if let fence {
                // FOR SHARE: a takeover's UPDATE of the lease waits for this commit, so the new
                // holder's first read sees this write, and a write after the takeover sees it.
                let current = try await connection.rows(
                    "SELECT holder FROM leases WHERE name = \(fence.lease) FOR SHARE", logger: logger
                ).first.map { try $0.decode(String.self) }
                try fence.check(current: current)
            }
            let stored = try await Self.fetchRow(connection, key, logger: logger)
            let next = current + 1
            let decision = try decide(stored, next)
            guard let write = decision.write else { return (decision.result, nil) }
            try await connection.rows("UPDATE revision SET value = \(next) WHERE id = 1", logger: logger)
            try await connection.rows(
                """
                INSERT INTO changes (revision, kind, namespace, name, verb, resource_version)
                VALUES (\(next), \(key.kind), \(key.namespace), \(key.name), \(decision.verb.rawValue), \(next))
                """, logger: logger)
            try await Self.apply(write, to: key, revision: next, connection, logger: logger)
            // Delivered at commit, to every host listening on this schema's channel (never on rollback).
            try await connection.rows("SELECT pg_notify(\(channel), \(String(next)))", logger: logger)
            return (decision.result, next)
        }
        if let revision {
            saw(revision: revision)
            options.changeObserver?(revision)
        }
        return result
    }

    private static func apply(
        _ write: RowWrite, to key: ResourceKey, revision: Int64, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        switch write {
        case .insert(let row), .replace(let row):
            guard row.key == key else {
                throw StoreError.database("a write of \(describe(key)) returned the row of \(describe(row.key))")
            }
            if case .insert = write {
                do {
                    try await connection.rows(
                        """
                        INSERT INTO resources (kind, namespace, name, uid, resource_version, api_version, metadata, body, sealed)
                        VALUES (\(row.kind), \(row.namespace), \(row.name), \(row.uid), \(revision), \(row.apiVersion),
                            \(row.metadata), \(row.body), \(row.sealed))
                        """, logger: logger)
                } catch let error where PostgresFailure.sqlState(error) == PostgresFailure.uniqueViolation {
                    // The revision lock makes this impossible unless a decision inserted over a row it saw.
                    throw StoreError.alreadyExists(kind: key.kind, namespace: key.namespace, name: key.name)
                }
            } else {
                try await connection.rows(
                    """
                    UPDATE resources SET uid = \(row.uid), resource_version = \(revision), api_version = \(row.apiVersion),
                        metadata = \(row.metadata), body = \(row.body), sealed = \(row.sealed)
                    WHERE kind = \(key.kind) AND namespace = \(key.namespace) AND name = \(key.name)
                    """, logger: logger)
            }
        case .remove:
            try await connection.rows(
                "DELETE FROM resources WHERE kind = \(key.kind) AND namespace = \(key.namespace) AND name = \(key.name)",
                logger: logger)
        }
    }

    static func fetchRow(_ connection: PostgresConnection, _ key: ResourceKey, logger: Logger) async throws -> StoredRow? {
        try await connection.rows(
            """
            SELECT \(unescaped: rowColumns) FROM resources
            WHERE kind = \(key.kind) AND namespace = \(key.namespace) AND name = \(key.name)
            """, logger: logger
        ).first.map(storedRow)
    }

    static func storedRow(_ row: PostgresRow) throws -> StoredRow {
        let (kind, namespace, name, uid, apiVersion, metadata, body, sealed, revision) = try row.decode(
            (String, String, String, String, String, String, String, Data?, Int64).self)
        return StoredRow(
            kind: kind, namespace: namespace, name: name, uid: uid, apiVersion: apiVersion, metadata: metadata, body: body,
            sealed: sealed, revision: revision)
    }

    static func describe(_ key: ResourceKey) -> String {
        "\(key.kind) \(StoreError.quoted(key.namespace, key.name))"
    }
}
