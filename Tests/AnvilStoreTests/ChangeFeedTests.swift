import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

@Suite struct ChangeFeedTests {
    @Test(arguments: StoreTestBackend.allCases) func feedRecordsEveryWriteFromAnyRevision(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.currentRevision() == 0)
            let a = try await store.create(server("a"))
            let b = try await store.create(server("b"))
            var changedA = a
            changedA.spec?["accepted"] = true
            _ = try await store.update(changedA)
            var statusB = b
            statusB.status = ["ready": true]
            _ = try await store.updateStatus(statusB)
            _ = try await store.delete(kind: "Server", name: "a")
            _ = try await store.create(secret("s", body: ["stringData": ["k": "v"]]))

            #expect(try await store.currentRevision() == 6)
            let all = try await store.changes(after: 0)
            #expect(all.map(\.revision) == [1, 2, 3, 4, 5, 6])
            #expect(all.map(\.verb) == [.created, .created, .updated, .updated, .deleted, .created])
            #expect(all.map(\.name) == ["a", "b", "a", "b", "a", "s"])
            #expect(all.map(\.resourceVersion) == ["1", "2", "3", "4", "5", "6"])
            #expect(all.last?.namespace == "default" && all.last?.kind == "Secret")

            let tail = try await store.changes(after: 3)
            #expect(tail.map(\.revision) == [4, 5, 6])
            let page = try await store.changes(after: 1, limit: 2)
            #expect(page.map(\.revision) == [2, 3])
            #expect(try await store.changes(after: 6).isEmpty)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func resourceVersionIsTheGlobalRevision(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.create(server("a"))
            let b = try await store.create(server("b"))
            #expect(b.metadata.resourceVersion == "2")
            let revisionAfter = try await store.currentRevision()
            #expect(String(revisionAfter) == b.metadata.resourceVersion)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func compactionMakesOldWatchersRelist(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            for index in 0..<10 { _ = try await store.create(server("s\(index)")) }
            #expect(try await store.compactChanges(keepingLast: 3) == 7)
            #expect(try await store.changes(after: 7).map(\.revision) == [8, 9, 10])
            await #expect(throws: StoreError.revisionCompacted(requested: 2, oldestAvailable: 8)) {
                _ = try await store.changes(after: 2)
            }
            #expect(try await store.compactChanges(keepingLast: 0) == 3)
            #expect(try await store.changes(after: 10).isEmpty)
            await #expect(throws: StoreError.self) { _ = try await store.changes(after: 9) }
        }
    }
}
