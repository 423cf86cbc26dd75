import AnvilResources
import AnvilStore
import Foundation
import Logging
@testable import AnvilDaemon
@testable import ReconcilerCore

/// A temporary store (removed afterwards) with an event recorder, for the machine controllers' tests.
struct MachineTestStore {
    let store: Store
    let events: EventBatchRecorder
    let signal: StoreChangeSignal
    let logger = Logger(label: "test")

    static func with<T>(_ body: (MachineTestStore) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-machines-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let signal = StoreChangeSignal()
        let store = try await Store.open(
            stateDirectory: directory, validate: ResourceValidator.validate,
            options: StoreOptions(changeObserver: { signal.changed(revision: $0) }))
        let events = EventBatchRecorder(store: store, source: "reconciler", logger: Logger(label: "test"))
        return try await body(MachineTestStore(store: store, events: events, signal: signal))
    }

    /// Server 1 in class `workers`, machine `default/m0` asking for it, reconciled once.
    @discardableResult
    func allocateOneMachine() async throws -> MetalMachineReconciler {
        try await server(1)
        try await serverClass("workers", available: [1])
        try await machine("m0", serverClass: "workers")
        let reconciler = machineReconciler()
        _ = try await reconciler.reconcile("default/m0")
        return reconciler
    }

    func machineReconciler() -> MetalMachineReconciler {
        MetalMachineReconciler(store: store, events: events, logger: logger)
    }

    static func uuid(_ index: Int) -> String { String(format: "00000000-0000-4000-8000-%012ld", index) }

    @discardableResult
    func server(_ index: Int, clean: Bool = true, inUse: Bool = false, accepted: Bool = true) async throws -> Resource {
        try await store.seed(Server(
            metadata: ObjectMeta(name: Self.uuid(index)), spec: ServerSpec(accepted: accepted),
            status: ServerStatus(inUse: inUse, isClean: clean)).resource)
    }

    @discardableResult
    func serverClass(_ name: String, available: [Int]) async throws -> Resource {
        try await store.seed(ServerClass(
            metadata: ObjectMeta(name: name), status: ServerClassStatus(serversAvailable: available.map(Self.uuid))).resource)
    }

    @discardableResult
    func machine(
        _ name: String, serverClass: String? = nil, serverRef: Int? = nil, labels: [String: String]? = nil,
        owners: [OwnerReference] = []
    ) async throws -> MetalMachine {
        var metadata = ObjectMeta(name: name, namespace: "default", labels: labels)
        if !owners.isEmpty { metadata.ownerReferences = owners.map(\.json) }
        let spec = MetalMachineSpec(
            serverRef: serverRef.map { ObjectReference(kind: "Server", name: Self.uuid($0)) },
            serverClassRef: serverClass.map { ObjectReference(kind: "ServerClass", name: $0) })
        return try MetalMachine(try await store.seed(MetalMachine(metadata: metadata, spec: spec).resource))
    }

    func getMachine(_ name: String) async throws -> MetalMachine? {
        try await store.find(kind: "MetalMachine", namespace: "default", name: name).map(MetalMachine.init)
    }

    func binding(_ server: Int) async throws -> ServerBinding? {
        try await store.find(kind: "ServerBinding", name: Self.uuid(server)).map(ServerBinding.init)
    }

    func bindings() async throws -> [ServerBinding] {
        try await store.list(kind: "ServerBinding").map(ServerBinding.init)
    }

    /// Writes what the event recorder holds, then the events of one object.
    func events(kind: String, namespace: String = "default", name: String) async throws -> [Event] {
        await events.flush()
        return try await store.events(kind: kind, namespace: namespace, name: name)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds (at most 30 s).
func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("\(what) did not happen") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
