import GRDB

/// The revision counter and the `changes` table, read by watchers.
extension SQLiteBackend {
    func currentRevision() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT value FROM revision WHERE id = 1") ?? 0 }
    }

    func changes(after revision: Int64, limit: Int) async throws -> [Change] {
        try await read { db in
            // Revisions are contiguous, so anything at or after the oldest kept entry is complete.
            // An empty feed holds nothing older than the next revision.
            let current = try Int64.fetchOne(db, sql: "SELECT value FROM revision WHERE id = 1") ?? 0
            let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(revision) FROM changes") ?? current + 1
            if revision < oldest - 1 {
                throw StoreError.revisionCompacted(requested: revision, oldestAvailable: oldest)
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT revision, kind, namespace, name, verb, resourceVersion FROM changes
                    WHERE revision > ? ORDER BY revision LIMIT ?
                    """,
                arguments: [revision, max(0, limit)])
            return try rows.map { row in
                let verbText: String = row[4]
                guard let verb = Change.Verb(rawValue: verbText) else {
                    throw StoreError.corrupt("change feed verb \"\(verbText)\"")
                }
                let resourceVersion: Int64 = row[5]
                return Change(
                    revision: row[0], kind: row[1], namespace: row[2], name: row[3], verb: verb,
                    resourceVersion: String(resourceVersion))
            }
        }
    }

    func compactChanges(keepingLast count: Int) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM changes WHERE revision <= (SELECT value FROM revision WHERE id = 1) - ?",
                arguments: [max(0, count)])
            return db.changesCount
        }
    }
}
