import Foundation

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
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let clock = options.clock
        return try await backend.acquireLease(
            name: name, holder: holder, now: { clock().timeIntervalSince1970 }, seconds: seconds)
    }

    /// Gives the lease up if `holder` has it, so a successor need not wait for expiry.
    /// Returns whether anything was released.
    @discardableResult
    public func releaseLease(name: String, holder: String) async throws -> Bool {
        try await backend.releaseLease(name: name, holder: holder)
    }

    /// The lease as recorded, expired or not (compare `expiresAt` with the clock), or nil.
    public func lease(name: String) async throws -> Lease? {
        try await backend.lease(name: name)
    }
}
