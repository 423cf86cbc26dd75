import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging

/// Sidero's MetalMachine controller without Cluster API (docs/sidero-controllers.md §5.3, README "reconciler: the server lifecycle").
/// Keys are `namespace/name`. A machine gets the finalizer, then a server: the one its
/// `serverRef` names (a binding is created for it unless another machine holds it), else one of
/// its `serverClassRef` — first a binding that already names it (created before `serverRef` was
/// saved), else the first clean, free member in UUID order, the binding's creation being the
/// lock. It then shows the server (`serverRef`, `providerID`, addresses, ready, the binding's
/// conditions). Deleting it releases the binding, then the finalizer.
public struct MetalMachineReconciler: Reconciler {
    public let name = "metal-machine"

    let store: Store
    let index: BindingIndex
    let classes: ServerClassCandidates
    let allocator: ServerAllocator
    let releaser: MachineRelease
    let events: MachineEvents
    let logger: Logger

    public init(store: Store, events: EventBatchRecorder, logger: Logger) {
        self.store = store
        self.logger = logger
        index = BindingIndex()
        classes = ServerClassCandidates(store: store)
        allocator = ServerAllocator(store: store, index: index, classes: classes, logger: logger)
        self.events = MachineEvents(events: events, logger: logger)
        releaser = MachineRelease(store: store, index: index, events: self.events)
    }

    // MARK: keys

    public func keys(for change: Change) -> [String] {
        switch change.kind {
        case MetalMachine.resourceKind.kind:
            return [ObjectKey.make(namespace: change.namespace, name: change.name)]
        case ServerBinding.resourceKind.kind:
            // The machine the binding names, when this process knows it (its own writes, the last
            // resync); a binding created elsewhere is picked up at the next resync.
            // A binding gone frees its server for the machines waiting on its class.
            let known = index.owner(ofServer: change.name)
            guard change.verb == .deleted else { return known.map { [$0.machineKey] } ?? [] }
            index.forget(server: change.name)
            let owner = index.takeForgotten(change.name) ?? known
            let waiting = owner?.className.map { index.waiting(forClass: $0) } ?? []
            return (owner.map { [$0.machineKey] } ?? []) + waiting
        case ServerClass.resourceKind.kind:
            classes.invalidate(change.name)
            return index.waiting(forClass: change.name)
        default:
            return []
        }
    }

    /// Every machine; also reloads the binding index from the store.
    public func allKeys() async throws -> [String] {
        index.beginLoad()
        let bindings: [ServerBinding]
        do {
            bindings = try await store.list(kind: ServerBinding.resourceKind.kind).compactMap { try? ServerBinding($0) }
        } catch {
            index.finishLoad(nil)
            throw error
        }
        index.finishLoad(bindings)
        return try await store.list(kind: MetalMachine.resourceKind.kind).map {
            ObjectKey.make(namespace: $0.namespace, name: $0.name)
        }
    }

    // MARK: reconcile

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        try await reconcile(key, attempt: 0)
    }

    private func reconcile(_ key: String, attempt: Int) async throws -> ReconcileResult {
        let (namespace, name) = ObjectKey.split(key)
        guard var machine = try await store.find(MetalMachine.self, namespace: namespace, name: name) else {
            try await releaser.releaseOrphans(of: key)
            return .done
        }
        if machine.metadata.deletionTimestamp != nil { return try await releaser.release(machine) }
        if !Finalizers.has(machine.metadata, MachineConstants.metalMachineFinalizer) {
            machine = try await store.mutate(MetalMachine.self, namespace: namespace, name: name) {
                Finalizers.add(MachineConstants.metalMachineFinalizer, to: &$0.metadata)
            }
        }

        let found: (binding: ServerBinding, isNew: Bool, via: String?)
        switch try await binding(for: machine, key: key) {
        case .bound(let binding, let isNew, let via):
            found = (binding, isNew, via)
        case .waiting(let reason, let message, let result):
            try await markWaiting(machine, reason: reason, message: message)
            return result
        }
        index.stopWaiting(key)

        var shown = machine
        BoundMachineState.apply(found.binding, to: &shown)
        if shown == machine, !found.isNew {
            // Already showing this binding (the usual run after the controller's own write).
            try await dropOtherBindings(of: machine, keeping: found.binding.metadata.name)
            return .done
        }
        do {
            let bound = found.binding
            try await store.mutate(MetalMachine.self, namespace: namespace, name: name) { machine in
                if let current = machine.spec.serverRef?.name, current != bound.metadata.name {
                    throw ServerRefChanged(server: current)
                }
                BoundMachineState.apply(bound, to: &machine)
            }
        } catch is ServerRefChanged where attempt < 3 {
            // Another reconciler saved another server first: give this one back and follow it.
            if found.isNew { _ = try await releaser.deleteBinding(found.binding.metadata.name) }
            return try await reconcile(key, attempt: attempt + 1)
        }
        if found.isNew { events.allocated(machine, server: found.binding.metadata.name, className: found.via) }
        try await dropOtherBindings(of: machine, keeping: found.binding.metadata.name)
        return .done
    }

    private enum Binding {
        /// `via`: the class it was allocated from, nil for serverRef or a recovered binding.
        case bound(ServerBinding, isNew: Bool, via: String?)
        case waiting(reason: String, message: String, ReconcileResult)
    }

    private struct ServerRefChanged: Error {
        let server: String
    }

    /// The binding for a server kept appearing and disappearing while it was read; retried with backoff.
    struct BindingChurn: Error, CustomStringConvertible {
        let server: String
        var description: String { "the binding for server \(server) changed on every attempt" }
    }

    private func binding(for machine: MetalMachine, key: String) async throws -> Binding {
        if let server = machine.spec.serverRef?.name, !server.isEmpty {
            return try await ensureBinding(server: server, for: machine)
        }
        guard let classRef = machine.spec.serverClassRef, let className = classRef.name, !className.isEmpty else {
            return .waiting(
                reason: MachineConstants.Reason.noServerRequested,
                message: "spec.serverRef or spec.serverClassRef is required", .done)
        }
        if let recovered = try await recover(machine, key: key) { return .bound(recovered, isNew: false, via: nil) }
        switch try await allocator.allocate(for: machine, classRef: classRef, className: className) {
        case .allocated(let binding):
            return .bound(binding, isNew: true, via: className)
        case .noneFree(let members):
            index.wait(key, forClass: className)
            return .waiting(
                reason: MachineConstants.Reason.noServersAvailable,
                message: "no clean, free server in serverclass \(className) (\(members) available members)",
                .requeue(after: MachineConstants.requeueAfter))
        case .classNotFound:
            index.wait(key, forClass: className)
            return .waiting(
                reason: MachineConstants.Reason.serverClassNotFound, message: "serverclass \(className) not found",
                .requeue(after: MachineConstants.requeueAfter))
        }
    }

    /// The binding for `server`, created (without a class) if there is none. A binding that names
    /// another machine is left alone: the server is taken.
    private func ensureBinding(server: String, for machine: MetalMachine) async throws -> Binding {
        for _ in 0..<3 {
            if let existing = try await store.find(ServerBinding.self, name: server) {
                index.record(existing)
                if MachineBindings.belongs(existing, to: machine) { return .bound(existing, isNew: false, via: nil) }
                let owner = BindingIndex.owner(of: existing)
                if MachineBindings.isStale(owner, for: machine) {
                    // Left by an earlier machine of this name, which is gone.
                    _ = try await releaser.deleteBinding(server)
                    continue
                }
                return .waiting(
                    reason: MachineConstants.Reason.serverTaken,
                    message: "server \(server) is bound to metalmachine \(owner.machineKey)",
                    .requeue(after: MachineConstants.requeueAfter))
            }
            do {
                let created = try ServerBinding(
                    try await store.create(MachineBindings.binding(server: server, for: machine, serverClassRef: nil).resource))
                index.record(created)
                return .bound(created, isNew: true, via: nil)
            } catch StoreError.alreadyExists {
                continue
            }
        }
        throw BindingChurn(server: server)
    }

    /// A binding that already names this machine (Sidero's "recover first").
    private func recover(_ machine: MetalMachine, key: String) async throws -> ServerBinding? {
        for server in index.servers(ofMachine: key) {
            guard let owner = index.owner(ofServer: server), MachineBindings.belongs(owner, to: machine) else { continue }
            guard let binding = try await store.find(ServerBinding.self, name: server) else {
                index.forget(server: server)
                continue
            }
            index.record(binding)
            if MachineBindings.belongs(binding, to: machine) { return binding }
        }
        return nil
    }

    /// One server per machine: any other binding naming it (a lost race, an old serverRef, an
    /// earlier machine of the same name) is deleted.
    private func dropOtherBindings(of machine: MetalMachine, keeping kept: String) async throws {
        for server in index.servers(ofMachine: MachineBindings.key(of: machine)) where server != kept {
            guard let binding = try await store.find(ServerBinding.self, name: server) else {
                index.forget(server: server)
                continue
            }
            let owner = BindingIndex.owner(of: binding)
            guard owner.machineKey == MachineBindings.key(of: machine) else {
                index.record(binding)
                continue
            }
            if try await releaser.deleteBinding(server) {
                logger.info("extra binding released", metadata: ["machine": "\(owner.machineKey)", "server": "\(server)"])
            }
        }
    }

    /// `ServerAllocated=False` with why; an event when the reason changes.
    private func markWaiting(_ machine: MetalMachine, reason: String, message: String) async throws {
        let previous = machine.status.conditions?.first { $0.type == MachineConstants.conditionServerAllocated }
        try await store.mutate(MetalMachine.self, namespace: machine.metadata.namespace ?? "default", name: machine.metadata.name) {
            MachineConditions.set(
                MachineConditions.notAllocated(reason: reason, message: message), in: &$0.status.conditions)
            $0.status.ready = false
        }
        if previous?.reason != reason || previous?.message != message {
            events.waiting(machine, reason: reason, message: message)
        }
    }
}
