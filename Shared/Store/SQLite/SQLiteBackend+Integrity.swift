import GRDB

extension SQLiteBackend {
    /// SQLite's `PRAGMA integrity_check`: "ok", or the problems it found.
    func integrityCheck() async throws -> String? {
        try await read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }
}
