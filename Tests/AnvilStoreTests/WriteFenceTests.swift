import AnvilStore
import Foundation
import Testing

/// Writes fenced by a lease (docs/architecture.md "Store", fencing): they commit only while the
/// fence's holder holds the lease, on both back-ends.
@Suite struct WriteFenceTests {
    @Test(arguments: StoreTestBackend.allCases) func aFencedWriteCommitsOnlyWhileItsHolderHoldsTheLease(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            let fenced = store.fenced(by: WriteFence(lease: "reconciler", holder: "a"))
            // No lease yet: refused, naming the lease and that nobody holds it.
            await #expect(throws: StoreError.leaseLost(lease: "reconciler", holder: "a", current: nil)) {
                try await fenced.create(server("early"))
            }
            #expect(try await store.acquireLease(name: "reconciler", holder: "a", duration: .seconds(15)))
            _ = try await fenced.create(server("x"))
            _ = try await fenced.mutate(kind: "Server", name: "x") { $0.metadata.labels = ["k": "v"] }

            // Expired but not taken: still a's to write under (only the holder is compared).
            clock.advance(by: 20)
            _ = try await fenced.mutate(kind: "Server", name: "x") { $0.metadata.labels = ["k": "w"] }

            #expect(try await store.acquireLease(name: "reconciler", holder: "b", duration: .seconds(15)))
            let before = try await store.currentRevision()
            let lost = StoreError.leaseLost(lease: "reconciler", holder: "a", current: "b")
            await #expect(throws: lost) { try await fenced.create(server("late")) }
            await #expect(throws: lost) { try await fenced.mutate(kind: "Server", name: "x") { $0.metadata.labels = [:] } }
            await #expect(throws: lost) { try await fenced.delete(kind: "Server", name: "x") }
            #expect(try await store.currentRevision() == before, "nothing written")
            #expect("\(lost)".contains("held by b, not by a"))

            // The unfenced store and b's fenced view write as before.
            _ = try await store.create(server("plain"))
            _ = try await store.fenced(by: WriteFence(lease: "reconciler", holder: "b")).delete(kind: "Server", name: "x")
            #expect(try await store.list(kind: "Server").map(\.name) == ["plain"])
        }
    }

    /// A holder keeps writing while another takes the lease over: once the takeover has returned,
    /// what the new holder reads is final — no write of the old holder commits after it.
    @Test(.timeLimit(.minutes(1)), arguments: StoreTestBackend.allCases) func noWriteOfTheOldHolderLandsAfterATakeover(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            #expect(try await store.acquireLease(name: "reconciler", holder: "old", duration: .seconds(15)))
            let old = store.fenced(by: WriteFence(lease: "reconciler", holder: "old"))
            // Each writer creates until it is refused; the task counts the writers refused.
            let writers = Task {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for writer in 0..<4 {
                        group.addTask {
                            for index in 0... {
                                do {
                                    _ = try await old.create(server("w\(writer)-\(index)"))
                                } catch StoreError.leaseLost {
                                    return true
                                }
                            }
                            return false
                        }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
            }
            while try await store.list(kind: "Server").count < 20 { try await Task.sleep(for: .milliseconds(5)) }
            clock.advance(by: 20)
            #expect(try await store.acquireLease(name: "reconciler", holder: "new", duration: .seconds(15)))
            let seenAtTakeover = try await store.list(kind: "Server").count
            let refused = try await writers.value
            #expect(try await store.list(kind: "Server").count == seenAtTakeover)
            #expect(refused == 4, "every writer was refused")
        }
    }
}
