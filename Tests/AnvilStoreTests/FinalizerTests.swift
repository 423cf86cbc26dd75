import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

@Suite struct FinalizerTests {
    @Test(arguments: StoreTestBackend.allCases) func deleteWithoutFinalizersRemovesTheObject(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let created = try await store.create(server("x"))
            let outcome = try await store.delete(kind: "Server", name: "x")
            guard case .deleted(let gone) = outcome else {
                Issue.record("expected .deleted, got \(outcome)")
                return
            }
            #expect(gone.metadata.uid == created.metadata.uid)
            #expect(gone.metadata.resourceVersion == String(try await store.currentRevision()))
            #expect(try await store.find(kind: "Server", name: "x") == nil)
            await #expect(throws: StoreError.notFound(kind: "Server", namespace: "", name: "x")) {
                _ = try await store.delete(kind: "Server", name: "x")
            }
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func finalizersDeferDeletionUntilTheLastIsRemoved(_ backend: StoreTestBackend) async throws {
        let clock = TestClock()
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            var request = server("x")
            request.metadata.finalizers = ["storage.anvil.dev/wipe", "reconciler.anvil.dev/release"]
            _ = try await store.create(request)

            clock.advance(by: 60)
            let first = try await store.delete(kind: "Server", name: "x")
            guard case .deletionPending(let pending) = first else {
                Issue.record("expected .deletionPending, got \(first)")
                return
            }
            #expect(pending.metadata.deletionTimestamp == "2026-11-25T13:01:00Z")

            // A second delete changes nothing: the timestamp is set once.
            clock.advance(by: 60)
            let revision = try await store.currentRevision()
            #expect(try await store.delete(kind: "Server", name: "x") == .deletionPending(pending))
            #expect(try await store.currentRevision() == revision)

            // A client cannot clear the deletionTimestamp.
            var undelete = pending
            undelete.metadata.deletionTimestamp = nil
            undelete.metadata.finalizers = ["storage.anvil.dev/wipe"]
            let partly = try await store.update(undelete)
            #expect(partly.metadata.deletionTimestamp == "2026-11-25T13:01:00Z")
            #expect(try await store.find(kind: "Server", name: "x") != nil)

            // Removing the last finalizer (here via mutate, as a controller would) deletes it.
            let last = try await store.mutate(kind: "Server", name: "x") { $0.metadata.finalizers = [] }
            #expect(try await store.find(kind: "Server", name: "x") == nil)
            let changes = try await store.changes(after: revision)
            #expect(changes.map(\.verb) == [.updated, .deleted])
            #expect(changes.last?.resourceVersion == last.metadata.resourceVersion)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func updateRemovingLastFinalizerDeletes(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            var request = server("x")
            request.metadata.finalizers = ["f"]
            _ = try await store.create(request)
            let pending = try await store.delete(kind: "Server", name: "x").resource
            var released = pending
            released.metadata.finalizers = nil
            _ = try await store.update(released)
            #expect(try await store.find(kind: "Server", name: "x") == nil)
        }
    }
}
