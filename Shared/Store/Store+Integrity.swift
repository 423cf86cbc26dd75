import GRDB

extension Store {
    /// SQLite's `PRAGMA integrity_check`: "ok", or the problems it found (fault tests, operators).
    public func integrityCheck() async throws -> String {
        try await read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }
}
