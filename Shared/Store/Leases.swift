import Foundation
import GRDB

/// Who holds a named lease (e.g. "reconciler" for the one active controller) until when.
public struct Lease: Sendable, Hashable, Codable {
    public var name: String
    public var holder: String
    public var acquiredAt: Date
    public var renewedAt: Date
    public var expiresAt: Date
}

extension Store {
    /// Takes or renews the lease for `duration` from now. True if it was free, expired, or
    /// already `holder`'s; false if someone else holds it. The expiry check and the write happen in
    /// one write transaction, so two contenders can never both win.
    public func acquireLease(name: String, holder: String, duration: Duration) async throws -> Bool {
        let clock = options.clock
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return try await write { db in
            let now = clock().timeIntervalSince1970
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

    /// Gives the lease up if `holder` has it, so a successor need not wait for expiry.
    /// Returns whether anything was released.
    @discardableResult
    public func releaseLease(name: String, holder: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM leases WHERE name = ? AND holder = ?", arguments: [name, holder])
            return db.changesCount > 0
        }
    }

    /// The lease as recorded, expired or not (compare `expiresAt` with the clock), or nil.
    public func lease(name: String) async throws -> Lease? {
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
