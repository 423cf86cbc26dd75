import AnvilStore
import Foundation
import Testing

@Suite struct LeaseTests {
    @Test(arguments: StoreTestBackend.allCases) func acquireContendRenewExpireRelease(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            #expect(try await store.lease(name: "reconciler") == nil)
            #expect(try await store.acquireLease(name: "reconciler", holder: "a", duration: .seconds(15)))
            let start = clock.now
            var lease = try #require(try await store.lease(name: "reconciler"))
            #expect(lease.holder == "a")
            #expect(lease.acquiredAt == start && lease.renewedAt == start)
            #expect(lease.expiresAt == start + 15)

            // Someone else cannot take a live lease.
            clock.advance(by: 10)
            #expect(try await store.acquireLease(name: "reconciler", holder: "b", duration: .seconds(15)) == false)

            // The holder renews: expiry moves, acquiredAt does not.
            #expect(try await store.acquireLease(name: "reconciler", holder: "a", duration: .seconds(15)))
            lease = try #require(try await store.lease(name: "reconciler"))
            #expect(lease.acquiredAt == start && lease.renewedAt == clock.now && lease.expiresAt == clock.now + 15)

            clock.advance(by: 14)
            #expect(try await store.acquireLease(name: "reconciler", holder: "b", duration: .seconds(15)) == false)

            // Expired: b takes over.
            clock.advance(by: 2)
            #expect(try await store.acquireLease(name: "reconciler", holder: "b", duration: .milliseconds(1500)))
            lease = try #require(try await store.lease(name: "reconciler"))
            #expect(lease.holder == "b" && lease.acquiredAt == clock.now && lease.expiresAt == clock.now + 1.5)

            // Only the holder can release.
            #expect(try await store.releaseLease(name: "reconciler", holder: "a") == false)
            #expect(try await store.releaseLease(name: "reconciler", holder: "b"))
            #expect(try await store.lease(name: "reconciler") == nil)
            #expect(try await store.acquireLease(name: "reconciler", holder: "a", duration: .seconds(15)))
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func exactlyOneOfManyConcurrentContendersWins(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask { try await store.acquireLease(name: "l", holder: "h\(index)", duration: .seconds(60)) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }
}
