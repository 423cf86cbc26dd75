import Foundation
import GRDB

/// Start-up checks that the file at the store's path is an Anvil store, so a corrupt file or
/// another application's database is refused with its path instead of being "migrated".
enum StoreFileCheck {
    /// Tables every Anvil store has once migrated; a database with other tables and none of
    /// GRDB's migration record belongs to something else.
    /// Runs before the pool switches the file to WAL, through a plain connection that writes
    /// nothing: a foreign database is left exactly as it was.
    static func requireAnvilStore(path: String, configuration: Configuration) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard !header.isEmpty else { return }
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw StoreError.database(
                "\(path) is not an SQLite database (corrupt, or not an Anvil store): restore it from a backup or move it away")
        }
        let tables = try DatabaseQueue(path: path, configuration: configuration).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        guard !tables.isEmpty, !tables.contains("grdb_migrations") else { return }
        let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
        throw StoreError.database(
            "\(path) is not an Anvil store: it is an SQLite database of another application (tables \(shown)); "
                + "point --state at an Anvil state directory or move the file away")
    }

    /// A clear message for SQLite failures that are about the file rather than the data.
    static func describe(_ error: DatabaseError, path: String) -> String {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return "\(path) is not an SQLite database (corrupt or not an Anvil store): restore it from a backup or move it away"
        case .SQLITE_CORRUPT:
            return "\(path) is corrupt (\(error.message ?? "malformed")): restore it from a backup"
        case .SQLITE_FULL:
            return "disk full: no space left to write \(path) (\(error.message ?? "database or disk is full")); free space and retry"
        case .SQLITE_READONLY:
            return "\(path) is read-only (\(error.message ?? "attempt to write a readonly database")): make it and its directory writable"
        case .SQLITE_CANTOPEN:
            return "cannot open \(path) (\(error.message ?? "unable to open database file")): check that the directory exists and is writable"
        case .SQLITE_IOERR:
            return "I/O error on \(path) (\(error.description)); check the disk (a full disk shows as this too)"
        default:
            return "\(path): \(error.description)"
        }
    }
}
