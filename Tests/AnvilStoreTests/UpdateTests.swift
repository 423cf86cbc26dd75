import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

@Suite struct UpdateTests {
    @Test(arguments: StoreTestBackend.allCases) func staleResourceVersionIsAConflict(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let created = try await store.create(server("x"))
            var first = created
            first.spec?["hostname"] = "one"
            let updated = try await store.update(first)
            var stale = created
            stale.spec?["hostname"] = "two"
            let error = await #expect(throws: StoreError.self) { _ = try await store.update(stale) }
            let expected = StoreError.conflict(
                kind: "Server", namespace: "", name: "x",
                expected: created.metadata.resourceVersion!, actual: updated.metadata.resourceVersion!)
            #expect(error == expected)
            #expect(
                error?.description
                    == "conflict: server \"x\" was modified (resourceVersion \(updated.metadata.resourceVersion!), "
                    + "you had \(created.metadata.resourceVersion!)); re-read and retry")
            #expect(try await store.get(kind: "Server", name: "x").spec?["hostname"] == "one")
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func nilResourceVersionIsUnconditional(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.create(server("x"))
            let applied = try await store.update(server("x", spec: ["accepted": true]))
            #expect(applied.spec?["accepted"] == true)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func updateOfMissingObjectIsNotFound(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            await #expect(throws: StoreError.notFound(kind: "Server", namespace: "", name: "ghost")) {
                _ = try await store.update(server("ghost"))
            }
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func generationBumpsOnlyWhenSpecChanges(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let created = try await store.create(server("x"))
            var relabelled = created
            relabelled.metadata.labels = ["rack": "r1"]
            let afterLabels = try await store.update(relabelled)
            #expect(afterLabels.metadata.generation == 1)
            #expect(afterLabels.metadata.resourceVersion != created.metadata.resourceVersion)

            var respecced = afterLabels
            respecced.spec?["accepted"] = true
            let afterSpec = try await store.update(respecced)
            #expect(afterSpec.metadata.generation == 2)

            var statused = afterSpec
            statused.status = ["ready": true]
            let afterStatus = try await store.updateStatus(statused)
            #expect(afterStatus.metadata.generation == 2)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func unchangedUpdateMakesNoNewRevision(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let created = try await store.create(server("x", labels: ["a": "b"]))
            let revision = try await store.currentRevision()
            // As `anvil apply` sends it again: no resourceVersion, no status, spelled with empties.
            var again = server("x", labels: ["a": "b"])
            again.metadata.annotations = [:]
            again.metadata.finalizers = []
            let result = try await store.update(again)
            #expect(result == created)
            #expect(try await store.currentRevision() == revision)
            #expect(try await store.changes(after: revision).isEmpty)
            #expect(try await store.updateStatus(created) == created)
            #expect(try await store.currentRevision() == revision)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func clientCannotChangeStoreManagedMetadata(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let created = try await store.create(server("x"))
            var forged = created
            forged.metadata.uid = "forged"
            forged.metadata.generation = 42
            forged.metadata.creationTimestamp = "1999-01-01T00:00:00Z"
            forged.metadata.deletionTimestamp = "1999-01-01T00:00:00Z"
            let result = try await store.update(forged)
            #expect(result == created)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func updateKeepsStatusAndUpdateStatusChangesOnlyStatus(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let created = try await store.create(server("x"))
            var withStatus = created
            withStatus.status = ["power": "on"]
            withStatus.spec?["accepted"] = true  // ignored by updateStatus
            withStatus.metadata.labels = ["ignored": "yes"]  // ignored by updateStatus
            let statusWritten = try await store.updateStatus(withStatus)
            #expect(statusWritten.status == ["power": "on"])
            #expect(statusWritten.spec == created.spec)
            #expect(statusWritten.metadata.labels == nil)

            var specOnly = statusWritten
            specOnly.spec?["accepted"] = true
            specOnly.status = ["power": "off"]  // ignored by update
            let specWritten = try await store.update(specOnly)
            #expect(specWritten.status == ["power": "on"])
            #expect(specWritten.spec?["accepted"] == true)

            var staleStatus = statusWritten
            staleStatus.status = ["power": "off"]
            await #expect(throws: StoreError.self) { _ = try await store.updateStatus(staleStatus) }
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func mutateAppliesSpecAndStatusInOneTransaction(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.create(server("x"))
            let revision = try await store.currentRevision()
            let result = try await store.mutate(kind: "Server", name: "x") { server in
                server.spec?["accepted"] = true
                server.status = ["ready": true]
            }
            #expect(result.spec?["accepted"] == true)
            #expect(result.status?["ready"] == true)
            #expect(result.metadata.generation == 2)
            #expect(try await store.currentRevision() == revision + 1)
            #expect(try await store.get(kind: "Server", name: "x") == result)

            let same = try await store.mutate(kind: "Server", name: "x") { _ in }
            #expect(same == result)
            #expect(try await store.currentRevision() == revision + 1)

            struct Stop: Error, Equatable {}
            await #expect(throws: Stop()) {
                _ = try await store.mutate(kind: "Server", name: "x") { server in
                    server.spec?["accepted"] = false
                    throw Stop()
                }
            }
            #expect(try await store.get(kind: "Server", name: "x") == result)
            await #expect(throws: StoreError.notFound(kind: "Server", namespace: "", name: "nope")) {
                _ = try await store.mutate(kind: "Server", name: "nope") { _ in }
            }
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func concurrentMutatesInOneProcessNeverLoseAnIncrement(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.create(server("counter", spec: ["counter": 0]))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        _ = try await store.mutate(kind: "Server", name: "counter") { object in
                            let value = object.spec?["counter"]?.intValue ?? 0
                            object.spec?["counter"] = .int(value + 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.get(kind: "Server", name: "counter").spec?["counter"] == 50)
        }
    }
}
