import Foundation
import GRDB
import GRDBSQLite

/// Connection settings for a database file shared by several processes (GRDB's
/// "Sharing a Database" guide): WAL via DatabasePool, a busy timeout so writers queue instead of
/// failing, and persistent WAL so the -wal/-shm files survive for read-only openers.
enum DatabaseSetup {
    static func configuration(busyTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.label = "anvil.store"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                var flag: CInt = 1
                let code = withUnsafeMutablePointer(to: &flag) { pointer in
                    sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, pointer)
                }
                guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
            }
            // In WAL mode NORMAL still survives any process crash (the requirement: daemons are
            // killed at any instant); only an OS crash may lose the last commits, never corrupt.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Busy/locked after the busy timeout is contention, not failure: worth a few more tries.
    static func isContention(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }
}
