import Foundation

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
        // The nonce is chosen here so every back-end issues them alike.
        let nonce = Self.hex8(UInt32.random(in: 0...UInt32.max))
        return try await backend.startBootAttempt(
            uuid: uuid, address: address, mac: mac, now: clock(), windowSeconds: windowSeconds, nonce: nonce)
    }

    /// Records that the config of `uuid` was fetched from `address` under the attempt `nonce`;
    /// `.first` exactly once per attempt, whatever the number of concurrent fetches.
    public func useBootAttempt(uuid: String, nonce: String, address: String) async throws -> BootAttemptUse {
        try await backend.useBootAttempt(
            uuid: uuid, nonce: nonce, address: address, now: options.clock().timeIntervalSince1970)
    }

    /// The current attempt of `uuid`, if any.
    public func bootAttempt(uuid: String) async throws -> BootAttempt? {
        try await backend.bootAttempt(uuid: uuid)
    }

    private static func hex8(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
