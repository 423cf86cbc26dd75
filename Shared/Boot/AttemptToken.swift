import Crypto
import Foundation

/// A machine token bound to one boot attempt (docs/security.md): the address that asked `/ipxe`
/// for it, when, and a per-attempt nonce, all under the same HMAC key as before, so every bootd and
/// metadatad replica mints and checks it with no shared table. A token copied off the wire is no
/// use from another address or after its window.
///
/// Text form (49 hex digits, short enough for a kernel command line):
/// `a` + issued-at (8 hex digits, Unix seconds) + nonce (8) + HMAC-SHA256 prefix (32).
public struct AttemptToken: Sendable, Hashable {
    public let issuedAt: UInt32
    public let nonce: UInt32
    let mac: String

    static let prefix = "a"
    static let length = 1 + 8 + 8 + 32

    /// Parses the text form; nil for anything else (an old per-UUID token included).
    public init?(_ text: String) {
        let lower = text.lowercased()
        guard lower.utf8.count == Self.length, lower.hasPrefix(Self.prefix),
            lower.utf8.dropFirst().allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        else { return nil }
        let digits = Array(lower.dropFirst())
        guard let issuedAt = UInt32(String(digits[0..<8]), radix: 16), let nonce = UInt32(String(digits[8..<16]), radix: 16) else {
            return nil
        }
        self.issuedAt = issuedAt
        self.nonce = nonce
        self.mac = String(digits[16...])
    }

    init(issuedAt: UInt32, nonce: UInt32, mac: String) {
        self.issuedAt = issuedAt
        self.nonce = nonce
        self.mac = mac
    }

    public var text: String { Self.prefix + Self.hex8(issuedAt) + Self.hex8(nonce) + mac }

    /// The nonce as the store records it (`BootAttempt.nonce`).
    public var nonceText: String { Self.hex8(nonce) }

    static func hex8(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// Why a presented attempt token is refused.
public enum AttemptTokenRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    case wrongServerOrAddress
    case expired(ageSeconds: Int, windowSeconds: Int)
    case notYetValid

    public var description: String {
        switch self {
        case .malformed: return "not a machine token"
        case .wrongServerOrAddress: return "the token was not issued to this server at this address"
        case .expired(let age, let window): return "the token expired (issued \(age) s ago; window \(window) s)"
        case .notYetValid: return "the token is dated in the future"
        }
    }
}

extension MachineTokenKey {
    /// A token for `uuid` asked for from `address` at `issuedAt`, for the attempt `nonce`.
    public func attemptToken(uuid: String, address: String, issuedAt: Date, nonce: UInt32) -> AttemptToken {
        let seconds = UInt32(clamping: Int64(issuedAt.timeIntervalSince1970.rounded(.down)))
        return AttemptToken(issuedAt: seconds, nonce: nonce, mac: attemptMAC(uuid: uuid, address: address, issuedAt: seconds, nonce: nonce))
    }

    /// Checks `text` for `uuid` presented from `address` at `now`, valid for `window`.
    public func verifyAttempt(
        _ text: String, uuid: String, address: String, now: Date, window: Duration
    ) -> Result<AttemptToken, AttemptTokenRefusal> {
        guard let token = AttemptToken(text) else { return .failure(.malformed) }
        let expected = attemptMAC(uuid: uuid, address: address, issuedAt: token.issuedAt, nonce: token.nonce)
        guard Self.constantTimeEqual(token.mac, expected) else { return .failure(.wrongServerOrAddress) }
        let age = Int64(now.timeIntervalSince1970.rounded(.down)) - Int64(token.issuedAt)
        // A minute of clock skew between replicas is tolerated.
        guard age >= -60 else { return .failure(.notYetValid) }
        let windowSeconds = window.components.seconds
        guard age <= windowSeconds else {
            return .failure(.expired(ageSeconds: Int(age), windowSeconds: Int(windowSeconds)))
        }
        return .success(token)
    }

    private func attemptMAC(uuid: String, address: String, issuedAt: UInt32, nonce: UInt32) -> String {
        hmacHex("attempt|\(uuid.lowercased())|\(address)|\(issuedAt)|\(nonce)")
    }
}
