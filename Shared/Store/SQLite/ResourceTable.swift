import Foundation
import GRDB

/// Rows of the `resources` table <-> ``StoredRow``, inside a caller's transaction. What the
/// columns hold (JSON text, sealed Secret payloads) is ``ResourceCodec``'s business.
enum ResourceTable {
    static let selectColumns = "kind, namespace, name, uid, apiVersion, metadata, body, sealed, resourceVersion"

    static func fetch(_ db: Database, _ key: ResourceKey) throws -> StoredRow? {
        try Row.fetchOne(
            db, sql: "SELECT \(selectColumns) FROM resources WHERE kind = ? AND namespace = ? AND name = ?",
            arguments: [key.kind, key.namespace, key.name]
        ).map(storedRow)
    }

    /// Rows of `kind` (in `namespace`, or all) ordered by namespace then name (BINARY collation).
    static func list(_ db: Database, kind: String, namespace: String?) throws -> [StoredRow] {
        var sql = "SELECT \(selectColumns) FROM resources WHERE kind = ?"
        var arguments: StatementArguments = [kind]
        if let namespace {
            sql += " AND namespace = ?"
            arguments += [namespace]
        }
        sql += " ORDER BY namespace, name"
        var result: [StoredRow] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() { result.append(storedRow(row)) }
        return result
    }

    static func insert(_ db: Database, _ row: StoredRow, revision: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO resources (kind, namespace, name, uid, resourceVersion, apiVersion, metadata, body, sealed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                row.kind, row.namespace, row.name, row.uid, revision, row.apiVersion, row.metadata, row.body, row.sealed,
            ])
    }

    /// Replaces everything but the key and uid, as an update never changes those.
    static func replace(_ db: Database, _ row: StoredRow, revision: Int64) throws {
        try db.execute(
            sql: """
                UPDATE resources SET resourceVersion = ?, apiVersion = ?, metadata = ?, body = ?, sealed = ?
                WHERE kind = ? AND namespace = ? AND name = ?
                """,
            arguments: [revision, row.apiVersion, row.metadata, row.body, row.sealed, row.kind, row.namespace, row.name])
    }

    static func remove(_ db: Database, _ key: ResourceKey) throws {
        try db.execute(
            sql: "DELETE FROM resources WHERE kind = ? AND namespace = ? AND name = ?",
            arguments: [key.kind, key.namespace, key.name])
    }

    private static func storedRow(_ row: Row) -> StoredRow {
        StoredRow(
            kind: row[0], namespace: row[1], name: row[2], uid: row[3], apiVersion: row[4], metadata: row[5], body: row[6],
            sealed: row[7], revision: row[8])
    }
}
