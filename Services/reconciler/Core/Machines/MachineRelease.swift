import AnvilController
import AnvilResources
import AnvilStore

/// Gives a machine's servers back (docs/sidero-controllers.md §5.3 "Delete"): deletes every binding that
/// names the machine, then clears `serverRef` and removes the finalizer, which lets the store
/// delete the machine. The Server controller then wipes the server (README "reconciler: the server lifecycle").
struct MachineRelease: Sendable {
    let store: Store
    let index: BindingIndex
    let events: MachineEvents

    /// The machine is being deleted.
    func release(_ machine: MetalMachine) async throws -> ReconcileResult {
        let key = MachineBindings.key(of: machine)
        index.stopWaiting(key)
        guard Finalizers.has(machine.metadata, MachineConstants.metalMachineFinalizer) else { return .done }
        var servers = Set(index.servers(ofMachine: key))
        if let server = machine.spec.serverRef?.name { servers.insert(server) }
        var pending = false
        for server in servers.sorted() {
            guard let binding = try await store.find(ServerBinding.self, name: server) else {
                index.forget(server: server)
                continue
            }
            // A serverRef naming a server bound to another machine: not ours to release.
            guard MachineBindings.belongs(binding, to: machine) else {
                index.record(binding)
                continue
            }
            if try await deleteBinding(server) {
                events.released(machine, server: server)
            } else {
                pending = true
            }
        }
        // A binding with finalizers of its own goes later; its deletion maps back here.
        if pending { return .requeue(after: MachineConstants.requeueAfter) }
        try await store.mutate(MetalMachine.self, namespace: machine.metadata.namespace ?? "default", name: machine.metadata.name) {
            $0.spec.serverRef = nil
            $0.status.ready = false
            Finalizers.remove(MachineConstants.metalMachineFinalizer, from: &$0.metadata)
        }
        return .done
    }

    /// The machine `key` is gone, yet bindings still name it (it was deleted before its
    /// finalizer was written): they are released too.
    func releaseOrphans(of key: String) async throws {
        for server in index.servers(ofMachine: key) {
            guard let binding = try await store.find(ServerBinding.self, name: server) else {
                index.forget(server: server)
                continue
            }
            guard BindingIndex.owner(of: binding).machineKey == key else {
                index.record(binding)
                continue
            }
            _ = try await deleteBinding(server)
        }
        index.stopWaiting(key)
    }

    /// Deletes a binding; true once it is gone, false while its finalizers hold it.
    func deleteBinding(_ server: String) async throws -> Bool {
        do {
            switch try await store.delete(kind: ServerBinding.resourceKind.kind, name: server) {
            case .deleted:
                index.forget(server: server)
                return true
            case .deletionPending:
                return false
            }
        } catch StoreError.notFound {
            index.forget(server: server)
            return true
        }
    }
}
