import AnvilBoot
import AnvilDaemon
import AnvilStore
import Foundation

/// Mints the token for one `/ipxe` answer, bound to the asking address (docs/security.md): the
/// agent's for its window; an install's for the server's current boot attempt, which one address
/// holds at a time.
struct BootTokenIssuer: Sendable {
    let key: MachineTokenKey
    let policy: MachineTokenPolicy
    let store: Store

    enum Outcome: Sendable {
        case token(String)
        /// Another address holds the server's live install attempt.
        case conflict(BootAttempt)
    }

    func token(for script: BootScript, uuid: String, mac: String?, address: String) async throws -> Outcome {
        switch script {
        case .agent:
            return .token(key.attemptToken(uuid: uuid, address: address, issuedAt: Date(), nonce: UInt32.random(in: 0...UInt32.max)).text)
        case .install:
            switch try await store.startBootAttempt(uuid: uuid, address: address, mac: mac, window: policy.window) {
            case .started(let attempt), .resumed(let attempt):
                let nonce = UInt32(attempt.nonce, radix: 16) ?? 0
                return .token(key.attemptToken(uuid: uuid, address: address, issuedAt: attempt.issuedAt, nonce: nonce).text)
            case .conflict(let attempt):
                return .conflict(attempt)
            }
        }
    }
}
