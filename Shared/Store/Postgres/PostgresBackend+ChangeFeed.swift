import PostgresNIO

/// The revision counter and the change feed, as ChangeFeed.swift defines them for SQLite.
extension PostgresBackend {
    package func currentRevision() async throws -> Int64 {
        let revision = try await rows("reading the revision", "SELECT value FROM revision WHERE id = 1")
            .first.map { try $0.decode(Int64.self) } ?? 0
        saw(revision: revision)
        return revision
    }

    package func changes(after revision: Int64, limit: Int) async throws -> [Change] {
        let logger = self.logger
        // One view for the bound check and the rows: REPEATABLE READ.
        let (changes, current) = try await inTransaction(
            "reading changes after \(revision)", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", readOnly: true
        ) { connection in
            let current = try await connection.rows("SELECT value FROM revision WHERE id = 1", logger: logger)
                .first.map { try $0.decode(Int64.self) } ?? 0
            // Revisions are contiguous, so anything at or after the oldest kept entry is complete.
            // An empty feed holds nothing older than the next revision.
            let oldest = try await connection.rows("SELECT min(revision) FROM changes", logger: logger)
                .first.flatMap { try $0.decode(Int64?.self) } ?? current + 1
            if revision < oldest - 1 {
                throw StoreError.revisionCompacted(requested: revision, oldestAvailable: oldest)
            }
            let rows = try await connection.rows(
                """
                SELECT revision, kind, namespace, name, verb, resource_version FROM changes
                WHERE revision > \(revision) ORDER BY revision LIMIT \(Int64(max(0, limit)))
                """, logger: logger)
            let changes = try rows.map { row in
                let (revision, kind, namespace, name, verbText, resourceVersion) = try row.decode(
                    (Int64, String, String, String, String, Int64).self)
                guard let verb = Change.Verb(rawValue: verbText) else {
                    throw StoreError.corrupt("change feed verb \"\(verbText)\"")
                }
                return Change(
                    revision: revision, kind: kind, namespace: namespace, name: name, verb: verb,
                    resourceVersion: String(resourceVersion))
            }
            return (changes, current)
        }
        saw(revision: current)
        return changes
    }

    package func compactChanges(keepingLast count: Int) async throws -> Int {
        try await rows(
            "compacting the change feed",
            """
            DELETE FROM changes WHERE revision <= (SELECT value FROM revision WHERE id = 1) - \(Int64(max(0, count)))
            RETURNING revision
            """
        ).count
    }
}
