import Foundation
import GRDB

/// The `bootAttempts` table: one row per server, checked and written in one write transaction.
extension SQLiteBackend {
    func startBootAttempt(uuid: String, address: String, mac: String?, now: Date, windowSeconds: Double, nonce: String)
        async throws -> BootAttemptStart
    {
        try await write { db in
            if let current = try Self.bootAttempt(db, uuid: uuid) {
                let live = current.configFetchedAt == nil && now.timeIntervalSince(current.issuedAt) <= windowSeconds
                if live {
                    if current.address == address && (current.mac == nil || mac == nil || current.mac == mac) {
                        return .resumed(current)
                    }
                    return .conflict(current)
                }
            }
            let attempt = BootAttempt(
                uuid: uuid, nonce: nonce, address: address, mac: mac,
                issuedAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO bootAttempts (uuid, nonce, address, mac, issuedAt, configFetchedAt, configFetchedFrom)
                    VALUES (?, ?, ?, ?, ?, NULL, NULL)
                    """,
                arguments: [uuid, attempt.nonce, address, mac, attempt.issuedAt.timeIntervalSince1970])
            return .started(attempt)
        }
    }

    func useBootAttempt(uuid: String, nonce: String, address: String, now: Double) async throws -> BootAttemptUse {
        try await write { db in
            guard let current = try Self.bootAttempt(db, uuid: uuid), current.nonce == nonce else { return .notCurrent }
            if current.configFetchedAt != nil { return .again(current) }
            try db.execute(
                sql: "UPDATE bootAttempts SET configFetchedAt = ?, configFetchedFrom = ? WHERE uuid = ?",
                arguments: [now, address, uuid])
            return .first
        }
    }

    func bootAttempt(uuid: String) async throws -> BootAttempt? {
        try await read { db in try Self.bootAttempt(db, uuid: uuid) }
    }

    private static func bootAttempt(_ db: Database, uuid: String) throws -> BootAttempt? {
        try Row.fetchOne(
            db, sql: "SELECT nonce, address, mac, issuedAt, configFetchedAt, configFetchedFrom FROM bootAttempts WHERE uuid = ?",
            arguments: [uuid]
        ).map { row in
            BootAttempt(
                uuid: uuid, nonce: row[0], address: row[1], mac: row[2], issuedAt: Date(timeIntervalSince1970: row[3]),
                configFetchedAt: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)), configFetchedFrom: row[5])
        }
    }
}
