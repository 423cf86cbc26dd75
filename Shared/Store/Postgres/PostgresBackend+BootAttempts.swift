import Foundation
import PostgresNIO

/// Boot attempts as BootAttempts.swift defines them for SQLite (C5): starting one serialises on
/// an advisory lock of its uuid; using one is a single conditional UPDATE, so `.first` happens
/// once whatever the number of concurrent fetches on any host.
extension PostgresBackend {
    package func startBootAttempt(
        uuid: String, address: String, mac: String?, now: Date, windowSeconds: Double, nonce: String
    ) async throws -> BootAttemptStart {
        // iPXE retries and busy servers mostly resume: answer those from a read, no lock.
        if let current = try await bootAttempt(uuid: uuid), let resumed = Self.resumable(current, address, mac, now, windowSeconds) {
            return resumed
        }
        let logger = self.logger
        let schema = url.schema
        return try await inTransaction("starting the boot attempt of \(uuid)") { connection in
            try await connection.rows(
                "SELECT pg_advisory_xact_lock(hashtext(\(schema)), hashtext('anvil.boot:' || \(uuid)))", logger: logger)
            if let current = try await Self.bootAttempt(connection, uuid: uuid, logger: logger),
                current.configFetchedAt == nil && now.timeIntervalSince(current.issuedAt) <= windowSeconds
            {
                return Self.resumable(current, address, mac, now, windowSeconds) ?? .conflict(current)
            }
            let attempt = BootAttempt(
                uuid: uuid, nonce: nonce, address: address, mac: mac,
                issuedAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
            try await connection.rows(
                """
                INSERT INTO boot_attempts (uuid, nonce, address, mac, issued_at, config_fetched_at, config_fetched_from)
                VALUES (\(uuid), \(nonce), \(address), \(mac), \(attempt.issuedAt.timeIntervalSince1970), NULL, NULL)
                ON CONFLICT (uuid) DO UPDATE SET nonce = excluded.nonce, address = excluded.address, mac = excluded.mac,
                    issued_at = excluded.issued_at, config_fetched_at = NULL, config_fetched_from = NULL
                """, logger: logger)
            return .started(attempt)
        }
    }

    /// `.resumed` when `current` is live and the same client's (address, and MAC when both are known).
    private static func resumable(_ current: BootAttempt, _ address: String, _ mac: String?, _ now: Date, _ window: Double)
        -> BootAttemptStart?
    {
        guard current.configFetchedAt == nil, now.timeIntervalSince(current.issuedAt) <= window, current.address == address,
            current.mac == nil || mac == nil || current.mac == mac
        else { return nil }
        return .resumed(current)
    }

    package func useBootAttempt(uuid: String, nonce: String, address: String, now: Double) async throws -> BootAttemptUse {
        let logger = self.logger
        return try await inTransaction("using the boot attempt of \(uuid)") { connection in
            let first = try await connection.rows(
                """
                UPDATE boot_attempts SET config_fetched_at = \(now), config_fetched_from = \(address)
                WHERE uuid = \(uuid) AND nonce = \(nonce) AND config_fetched_at IS NULL
                RETURNING uuid
                """, logger: logger)
            if !first.isEmpty { return .first }
            guard let current = try await Self.bootAttempt(connection, uuid: uuid, logger: logger), current.nonce == nonce,
                current.configFetchedAt != nil
            else { return .notCurrent }
            return .again(current)
        }
    }

    package func bootAttempt(uuid: String) async throws -> BootAttempt? {
        try await retrying("reading the boot attempt of \(uuid)") {
            try await withPooledConnection { connection in try await Self.bootAttempt(connection, uuid: uuid, logger: logger) }
        }
    }

    private static func bootAttempt(_ connection: PostgresConnection, uuid: String, logger: Logger) async throws -> BootAttempt? {
        try await connection.rows(
            """
            SELECT nonce, address, mac, issued_at, config_fetched_at, config_fetched_from FROM boot_attempts
            WHERE uuid = \(uuid)
            """, logger: logger
        ).first.map { row in
            let (nonce, address, mac, issuedAt, fetchedAt, fetchedFrom) = try row.decode(
                (String, String, String?, Double, Double?, String?).self)
            return BootAttempt(
                uuid: uuid, nonce: nonce, address: address, mac: mac, issuedAt: Date(timeIntervalSince1970: issuedAt),
                configFetchedAt: fetchedAt.map(Date.init(timeIntervalSince1970:)), configFetchedFrom: fetchedFrom)
        }
    }
}
