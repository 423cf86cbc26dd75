import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation
import Logging
import Testing

@testable import ReconcilerCore

/// A ServerClass reconciler over a validating store in a temporary directory, removed afterwards.
struct ServerClassFixture {
    let store: Store
    let reconciler: ServerClassReconciler

    static func with(_ body: (ServerClassFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("serverclass-tests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate)
        let logger = Logger(label: "serverclass-tests")
        let events = EventBatchRecorder(store: store, source: "reconciler", logger: logger)
        try await body(ServerClassFixture(store: store, reconciler: ServerClassReconciler(store: store, events: events, logger: logger)))
    }

    static func uuid(_ index: Int) -> String { String(format: "00000000-0000-4000-8000-%012ld", index) }

    static func server(
        _ index: Int, labels: [String: String]? = nil, accepted: Bool = true, cordoned: Bool? = nil, inUse: Bool = false,
        manufacturer: String = "Dell Inc."
    ) -> Resource {
        Server(
            metadata: ObjectMeta(name: uuid(index), labels: labels),
            spec: ServerSpec(
                hardware: HardwareInformation(system: SystemInformation(manufacturer: manufacturer)), accepted: accepted,
                cordoned: cordoned),
            status: ServerStatus(inUse: inUse)
        ).resource
    }

    static func serverClass(_ name: String, qualifiers: Qualifiers? = nil, selector: LabelSelector? = nil) -> Resource {
        ServerClass(metadata: ObjectMeta(name: name), spec: ServerClassSpec(qualifiers: qualifiers, selector: selector)).resource
    }

    /// The resync then every key it returns, as the runner does at start.
    func resync() async throws {
        for key in try await reconciler.allKeys() { _ = try await reconciler.reconcile(key) }
    }

    /// Feeds the change feed after `revision` to the reconciler until it is quiet (its own status
    /// writes come back as class changes, which must settle without writing again).
    func settle(after revision: Int64) async throws {
        var revision = revision
        for _ in 0..<20 {
            let changes = try await store.changes(after: revision)
            guard let last = changes.last else { return }
            for change in changes {
                for key in reconciler.keys(for: change) { _ = try await reconciler.reconcile(key) }
            }
            revision = last.revision
        }
        Issue.record("the change feed did not settle")
    }

    /// Changes a server through the store, then lets the reconciler follow the feed.
    func change(server index: Int, _ edit: @escaping @Sendable (inout Server) -> Void) async throws {
        let before = try await store.currentRevision()
        _ = try await store.mutate(kind: "Server", name: Self.uuid(index)) { resource in
            var server = try Server(resource)
            edit(&server)
            resource = server.resource
        }
        try await settle(after: before)
    }

    func status(_ name: String) async throws -> ServerClassStatus? {
        try await store.find(kind: "ServerClass", name: name).map { try ServerClass($0).status }
    }

    func available(_ name: String) async throws -> [String] { try await status(name)?.serversAvailable ?? [] }
    func inUse(_ name: String) async throws -> [String] { try await status(name)?.serversInUse ?? [] }

    func resourceVersion(_ name: String) async throws -> String? {
        try await store.find(kind: "ServerClass", name: name)?.metadata.resourceVersion
    }
}
