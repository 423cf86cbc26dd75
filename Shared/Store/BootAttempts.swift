import Foundation
import GRDB

/// A server's current network-boot attempt: who asked `/ipxe` for its install environment, from
/// where, and whether its config has been fetched (docs/security.md, "Boot attempts").
public struct BootAttempt: Sendable, Hashable {
    public var uuid: String
    /// 8 hex digits, also inside the attempt's token.
    public var nonce: String
    public var address: String
    public var mac: String?
    public var issuedAt: Date
    public var configFetchedAt: Date?
    public var configFetchedFrom: String?
}

/// What asking for an attempt gave.
public enum BootAttemptStart: Sendable, Equatable {
    /// A new attempt (none before, or the last one was used or expired).
    case started(BootAttempt)
    /// The same client asking again (iPXE retries): the attempt it already has.
    case resumed(BootAttempt)
    /// Another address holds a live, unused attempt: no token for this one.
    case conflict(BootAttempt)
}

/// What fetching the config under an attempt gave.
public enum BootAttemptUse: Sendable, Equatable {
    case first
    /// The config was fetched before under this attempt (at, from).
    case again(BootAttempt)
    /// The token's attempt is not the server's current one (superseded or never recorded).
    case notCurrent
}

extension Store {
    /// Starts (or resumes) the attempt of `uuid` for a client at `address`. A live attempt is one
    /// issued less than `window` ago whose config was not fetched yet; while another address holds
    /// one, this answers `.conflict`. The check and the write are one transaction.
    public func startBootAttempt(uuid: String, address: String, mac: String?, window: Duration) async throws -> BootAttemptStart {
        let clock = options.clock
        let windowSeconds = Double(window.components.seconds)
        // iPXE retries and busy servers mostly resume: answer those from a read, no write lock.
        if let current = try await bootAttempt(uuid: uuid), current.configFetchedAt == nil,
            clock().timeIntervalSince(current.issuedAt) <= windowSeconds, current.address == address,
            current.mac == nil || mac == nil || current.mac == mac
        {
            return .resumed(current)
        }
        return try await write { db in
            let now = clock()
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
                uuid: uuid, nonce: Self.hex8(UInt32.random(in: 0...UInt32.max)), address: address, mac: mac,
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

    /// Records that the config of `uuid` was fetched from `address` under the attempt `nonce`;
    /// `.first` exactly once per attempt, whatever the number of concurrent fetches.
    public func useBootAttempt(uuid: String, nonce: String, address: String) async throws -> BootAttemptUse {
        let clock = options.clock
        return try await write { db in
            guard let current = try Self.bootAttempt(db, uuid: uuid), current.nonce == nonce else { return .notCurrent }
            if current.configFetchedAt != nil { return .again(current) }
            try db.execute(
                sql: "UPDATE bootAttempts SET configFetchedAt = ?, configFetchedFrom = ? WHERE uuid = ?",
                arguments: [clock().timeIntervalSince1970, address, uuid])
            return .first
        }
    }

    /// The current attempt of `uuid`, if any.
    public func bootAttempt(uuid: String) async throws -> BootAttempt? {
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

    private static func hex8(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
