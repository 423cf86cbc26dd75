import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

@Suite struct ResourceCRUDTests {
    @Test(arguments: StoreTestBackend.allCases) func createSetsStoreManagedMetadata(_ backend: StoreTestBackend) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_611_600))
        try await withStore(backend, options: StoreOptions(clock: clock.source)) { store, _ in
            var request = server("abc")
            request.metadata.uid = "client-chosen"
            request.metadata.generation = 7
            let created = try await store.create(request)
            #expect(created.metadata.uid != nil && created.metadata.uid != "client-chosen")
            #expect(UUID(uuidString: created.metadata.uid ?? "") != nil)
            #expect(created.metadata.generation == 1)
            #expect(created.metadata.creationTimestamp == "2026-11-25T13:00:00Z")
            #expect(created.metadata.resourceVersion == String(try await store.currentRevision()))
            let fetched = try await store.get(kind: "Server", name: "abc")
            #expect(fetched == created)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func createRefusesDuplicates(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.create(server("abc"))
            await #expect(throws: StoreError.alreadyExists(kind: "Server", namespace: "", name: "abc")) {
                _ = try await store.create(server("abc"))
            }
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func getMissingThrowsNotFoundWithKubectlMessage(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let error = await #expect(throws: StoreError.self) { _ = try await store.get(kind: "Server", name: "abc") }
            #expect(error == .notFound(kind: "Server", namespace: "", name: "abc"))
            #expect(error?.description == "servers \"abc\" not found")
            let missing = try await store.find(kind: "Server", name: "abc")
            #expect(missing == nil)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func validateResultIsStoredAndItsErrorsPropagate(_ backend: StoreTestBackend) async throws {
        struct Refused: Error, Equatable {}
        let validate: @Sendable (Resource) throws -> Resource = { resource in
            if resource.name == "bad" { throw Refused() }
            var defaulted = resource
            defaulted.spec?["hostname"] = .string("defaulted")
            return defaulted
        }
        try await withStore(backend, validate: validate) { store, _ in
            let created = try await store.create(server("good"))
            #expect(created.spec?["hostname"] == "defaulted")
            #expect(try await store.get(kind: "Server", name: "good").spec?["hostname"] == "defaulted")
            await #expect(throws: Refused()) { _ = try await store.create(server("bad")) }
            #expect(try await store.find(kind: "Server", name: "bad") == nil)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func listOrdersByNamespaceThenNameAndFiltersNamespace(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            for (namespace, name) in [("b", "m2"), ("a", "m9"), ("b", "m1"), ("a", "m3")] {
                _ = try await store.create(
                    Resource(
                        apiVersion: "infrastructure.cluster.x-k8s.io/v1alpha3", kind: "MetalMachine",
                        metadata: ObjectMeta(name: name, namespace: namespace), body: ["spec": [:]]))
            }
            _ = try await store.create(server("other-kind"))
            let all = try await store.list(kind: "MetalMachine")
            #expect(all.map { "\($0.namespace)/\($0.name)" } == ["a/m3", "a/m9", "b/m1", "b/m2"])
            let inB = try await store.list(kind: "MetalMachine", namespace: "b")
            #expect(inB.map(\.name) == ["m1", "m2"])
            #expect(try await store.list(kind: "MetalMachine", namespace: "c").isEmpty)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func listWithMatchLabelsAndMatchExpressions(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.create(server("s1", labels: ["rack": "r1", "role": "worker"]))
            _ = try await store.create(server("s2", labels: ["rack": "r2", "role": "worker"]))
            _ = try await store.create(server("s3", labels: ["rack": "r1", "role": "control-plane"]))
            _ = try await store.create(server("s4"))

            let byLabels = try await store.list(kind: "Server", selector: LabelSelector(matchLabels: ["rack": "r1"]))
            #expect(byLabels.map(\.name) == ["s1", "s3"])

            let inWorkers = LabelSelector(matchExpressions: [.init(key: "role", operator: .in, values: ["worker"])])
            #expect(try await store.list(kind: "Server", selector: inWorkers).map(\.name) == ["s1", "s2"])

            let notIn = LabelSelector(matchExpressions: [.init(key: "rack", operator: .notIn, values: ["r1"])])
            #expect(try await store.list(kind: "Server", selector: notIn).map(\.name) == ["s2", "s4"])

            let exists = LabelSelector(matchExpressions: [.init(key: "role", operator: .exists)])
            #expect(try await store.list(kind: "Server", selector: exists).map(\.name) == ["s1", "s2", "s3"])

            let absent = LabelSelector(matchExpressions: [.init(key: "role", operator: .doesNotExist)])
            #expect(try await store.list(kind: "Server", selector: absent).map(\.name) == ["s4"])

            let both = LabelSelector(
                matchLabels: ["rack": "r1"], matchExpressions: [.init(key: "role", operator: .notIn, values: ["worker"])])
            #expect(try await store.list(kind: "Server", selector: both).map(\.name) == ["s3"])

            #expect(try await store.list(kind: "Server", selector: LabelSelector()).count == 4)
        }
    }

    @Test(arguments: StoreTestBackend.allCases) func bodyRoundTripsExactly(_ backend: StoreTestBackend) async throws {
        try await withStore(backend) { store, _ in
            let spec: JSONValue = [
                "text": "quote \" backslash \\ newline \n tab \t unicode é ✓ 🚀 control \u{01}",
                "int": .int(-9_223_372_036_854_775_807), "double": 1.5, "whole": .double(2.0), "exp": 1e300,
                "bool": true, "list": [1, "two", [3], ["four": 4]], "empty": [:], "emptyList": [],
            ]
            _ = try await store.create(server("round", spec: spec))
            #expect(try await store.get(kind: "Server", name: "round").spec == spec)
        }
    }
}
