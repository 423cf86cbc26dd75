import Foundation
import PostgresNIO

/// Leases as Leases.swift defines them for SQLite. Under READ COMMITTED a read-then-write could let
/// two hosts both win, so taking a lease is one statement (C3): the insert, or the update of a row
/// that is the holder's own or expired, and a row back means it won.
extension PostgresBackend {
    package func acquireLease(name: String, holder: String, now clock: @escaping @Sendable () -> Double, seconds: Double) async throws -> Bool {
        // One statement: its row lock is held for microseconds, so the time read here is the
        // time of the write.
        let now = clock()
        let won = try await rows(
            "taking lease \"\(name)\"",
            """
            INSERT INTO leases (name, holder, acquired_at, renewed_at, expires_at)
            VALUES (\(name), \(holder), \(now), \(now), \(now + seconds))
            ON CONFLICT (name) DO UPDATE SET
                holder = excluded.holder,
                acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
                renewed_at = excluded.renewed_at,
                expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= \(now)
            RETURNING holder
            """, pool: leaseClient)
        return !won.isEmpty
    }

    package func releaseLease(name: String, holder: String) async throws -> Bool {
        try await !rows(
            "releasing lease \"\(name)\"",
            "DELETE FROM leases WHERE name = \(name) AND holder = \(holder) RETURNING name", pool: leaseClient
        ).isEmpty
    }

    package func lease(name: String) async throws -> Lease? {
        let rows = try await rows(
            "reading lease \"\(name)\"",
            "SELECT holder, acquired_at, renewed_at, expires_at FROM leases WHERE name = \(name)", pool: leaseClient)
        do {
            return try rows.first.map { row in
                let (holder, acquiredAt, renewedAt, expiresAt) = try row.decode((String, Double, Double, Double).self)
                return Lease(
                    name: name, holder: holder, acquiredAt: Date(timeIntervalSince1970: acquiredAt),
                    renewedAt: Date(timeIntervalSince1970: renewedAt), expiresAt: Date(timeIntervalSince1970: expiresAt))
            }
        } catch {
            throw PostgresFailure.storeError(error, context: "reading lease \"\(name)\"")
        }
    }
}
