import Foundation
import GRDB

/// The `leases` table. SQLite has one writer at a time, so check-then-write in one write
/// transaction is enough for two contenders never to both win.
extension SQLiteBackend {
    func acquireLease(name: String, holder: String, now clock: @escaping @Sendable () -> Double, seconds: Double) async throws -> Bool {
        try await write { db in
            let now = clock()
            let current = try Row.fetchOne(
                db, sql: "SELECT holder, expiresAt FROM leases WHERE name = ?", arguments: [name])
            if let current {
                let currentHolder: String = current[0]
                let expiresAt: Double = current[1]
                if currentHolder == holder {
                    try db.execute(
                        sql: "UPDATE leases SET renewedAt = ?, expiresAt = ? WHERE name = ?",
                        arguments: [now, now + seconds, name])
                    return true
                }
                if expiresAt > now { return false }
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO leases (name, holder, acquiredAt, renewedAt, expiresAt)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [name, holder, now, now, now + seconds])
            return true
        }
    }

    func releaseLease(name: String, holder: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM leases WHERE name = ? AND holder = ?", arguments: [name, holder])
            return db.changesCount > 0
        }
    }

    func lease(name: String) async throws -> Lease? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT holder, acquiredAt, renewedAt, expiresAt FROM leases WHERE name = ?",
                arguments: [name]
            ).map { row in
                Lease(
                    name: name, holder: row[0],
                    acquiredAt: Date(timeIntervalSince1970: row[1]),
                    renewedAt: Date(timeIntervalSince1970: row[2]),
                    expiresAt: Date(timeIntervalSince1970: row[3]))
            }
        }
    }
}
