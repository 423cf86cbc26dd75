import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// Kubernetes' write semantics that hold whatever validator the store has: status only through
/// updateStatus, no finalizer added to an object being deleted, etcd's object size limit.
@Suite struct WriteBoundsTests {
    static let objectLimit =
        "at most 1572864 bytes (1.5 MiB) are accepted"

    @Test(arguments: StoreTestBackend.allCases) func createIgnoresAClientSentStatus(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            var request = server("x")
            request.status = ["power": "on", "ready": true]
            let created = try await store.create(request)
            #expect(created.status == nil)
            #expect(try await store.find(kind: "Server", name: "x")?.status == nil)
            var reported = created
            reported.status = ["power": "on"]
            #expect(try await store.updateStatus(reported).status == ["power": "on"])
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func updateKeepsTheStoredStatusWhateverTheClientSent(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            var created = try await store.create(server("x"))
            created.status = ["power": "on"]
            let reported = try await store.updateStatus(created)
            var edit = reported
            edit.spec = ["accepted": true]
            edit.status = ["power": "off", "bogus": 1]
            let updated = try await store.update(edit)
            #expect(updated.status == ["power": "on"])
            #expect(updated.spec == ["accepted": true])
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func noFinalizerMayBeAddedToAnObjectBeingDeleted(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            var request = server("x")
            request.metadata.finalizers = ["a.anvil.dev/one"]
            _ = try await store.create(request)
            _ = try await store.delete(kind: "Server", name: "x")
            let deleting = try #require(try await store.find(kind: "Server", name: "x"))
            let revision = try await store.currentRevision()

            var adding = deleting
            adding.metadata.finalizers = ["a.anvil.dev/one", "b.anvil.dev/two"]
            let refusal = ResourceError.invalid(
                field: "metadata.finalizers",
                message: "cannot add finalizer \"b.anvil.dev/two\": the object is being deleted (metadata.deletionTimestamp is set)")
            await #expect(throws: refusal) { _ = try await store.update(adding) }
            await #expect(throws: refusal) {
                _ = try await store.mutate(kind: "Server", name: "x") { $0.metadata.finalizers?.append("b.anvil.dev/two") }
            }
            #expect(try await store.currentRevision() == revision)

            // Removing is still allowed, and the last one going deletes the object.
            var removing = deleting
            removing.metadata.finalizers = []
            _ = try await store.update(removing)
            #expect(try await store.find(kind: "Server", name: "x") == nil)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func objectsOverOnePointFiveMiBAreRefusedOnEveryWritePath(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let big = JSONValue.string(String(repeating: "z", count: 1_600_000))
            var request = server("x")
            request.spec = ["accepted": false, "hostname": big]
            await #expect { _ = try await store.create(request) } throws: { error in
                "\(error)".hasPrefix("object: server \"x\" is ") && "\(error)".hasSuffix(Self.objectLimit)
            }
            #expect(try await store.find(kind: "Server", name: "x") == nil)

            let created = try await store.create(server("x"))
            let revision = try await store.currentRevision()
            var update = created
            update.spec = ["accepted": false, "hostname": big]
            await #expect(throws: ResourceError.self) { _ = try await store.update(update) }
            var status = created
            status.status = ["note": big]
            await #expect(throws: ResourceError.self) { _ = try await store.updateStatus(status) }
            await #expect(throws: ResourceError.self) {
                _ = try await store.mutate(kind: "Server", name: "x") { $0.metadata.annotations = ["big": String(repeating: "q", count: 1_600_000)] }
            }
            #expect(try await store.currentRevision() == revision)
            #expect(try await store.find(kind: "Server", name: "x") == created)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func theValidatorsLimitsReachEveryStoreWriter(_ backend: StoreTestBackend) async throws {
        try await withStore(backend, validate: ResourceValidator.validate) { store, _ in
            var request = server("00000000-0000-0000-0000-000000000001")
            request.metadata.annotations = ["a": String(repeating: "x", count: 300_000)]
            await #expect { _ = try await store.create(request) } throws: { error in
                "\(error)" == "metadata.annotations: total size 300001 bytes (keys and values) is over the limit of 262144 bytes (256 KiB)"
            }
            request.metadata.annotations = nil
            request.spec = ["accepted": false, "hardware": ["compute": ["processorCount": -2]]]
            await #expect { _ = try await store.create(request) } throws: { error in
                "\(error)" == "spec.hardware.compute.processorCount: -2 is negative; must be 0 or more"
            }
            let revision = try await store.currentRevision()
            #expect(revision == 0, "nothing was written")
        }
    }
}
