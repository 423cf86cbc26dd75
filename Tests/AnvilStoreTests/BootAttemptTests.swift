import AnvilStore
import Foundation
import Testing

@Suite struct BootAttemptTests {
    static let uuid = "4c4c4544-0000-1000-8000-000000000001"

    @Test(arguments: StoreTestBackend.allCases) func oneLiveAttemptPerServerUsedOnce(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            guard case .started(let first) = try await store.startBootAttempt(uuid: Self.uuid, address: "10.0.0.5", mac: "52:54:00:00:00:01", window: .seconds(600)) else {
                Issue.record("no attempt started"); return
            }
            // iPXE asking again from the same client gets the same attempt.
            #expect(try await store.startBootAttempt(uuid: Self.uuid, address: "10.0.0.5", mac: "52:54:00:00:00:01", window: .seconds(600)) == .resumed(first))
            // Another address (or another NIC at that address) while it is live: refused.
            #expect(try await store.startBootAttempt(uuid: Self.uuid, address: "10.0.0.66", mac: "52:54:00:00:00:01", window: .seconds(600)) == .conflict(first))
            #expect(try await store.startBootAttempt(uuid: Self.uuid, address: "10.0.0.5", mac: "52:54:00:00:00:99", window: .seconds(600)) == .conflict(first))

            // The config is fetched once; a second fetch is seen as such, with when and from where.
            #expect(try await store.useBootAttempt(uuid: Self.uuid, nonce: "00000000", address: "10.0.0.5") == .notCurrent)
            #expect(try await store.useBootAttempt(uuid: Self.uuid, nonce: first.nonce, address: "10.0.0.5") == .first)
            guard case .again(let used) = try await store.useBootAttempt(uuid: Self.uuid, nonce: first.nonce, address: "10.0.0.5") else {
                Issue.record("second fetch not detected"); return
            }
            #expect(used.configFetchedFrom == "10.0.0.5" && used.configFetchedAt != nil)

            // A used attempt is over: the next boot starts a new one, from anywhere.
            guard case .started(let second) = try await store.startBootAttempt(uuid: Self.uuid, address: "10.0.0.7", mac: nil, window: .seconds(600)) else {
                Issue.record("no new attempt after the config was fetched"); return
            }
            #expect(second.nonce != first.nonce || second.address != first.address)
            // An unused attempt expires after its window.
            clock.advance(by: 601)
            guard case .started = try await store.startBootAttempt(uuid: Self.uuid, address: "10.0.0.8", mac: nil, window: .seconds(600)) else {
                Issue.record("an expired attempt still blocks"); return
            }
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func concurrentFetchesUseAnAttemptExactlyOnce(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            guard case .started(let attempt) = try await store.startBootAttempt(uuid: Self.uuid, address: "10.0.0.5", mac: nil, window: .seconds(600)) else {
                Issue.record("no attempt started"); return
            }
            let firsts = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await store.useBootAttempt(uuid: Self.uuid, nonce: attempt.nonce, address: "10.0.0.5") == .first }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(firsts == 1)
        }
    }
}
