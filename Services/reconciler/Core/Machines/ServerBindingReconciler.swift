import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging

/// Sidero's ServerBinding controller (docs/sidero-controllers.md §5.4, HEAD): `status.ready` says whether the
/// Server the binding is named after exists. Keys are binding names; a Server change maps to the
/// binding of the same name. The rest of the binding (addresses, conditions) is written by the
/// side that hears from the installed OS.
public struct ServerBindingReconciler: Reconciler {
    public let name = "server-binding"
    static let source = "reconciler/server-binding"

    let store: Store
    let events: EventBatchRecorder
    let logger: Logger

    public init(store: Store, events: EventBatchRecorder, logger: Logger) {
        self.store = store
        self.events = events
        self.logger = logger
    }

    public func keys(for change: Change) -> [String] {
        switch change.kind {
        case ServerBinding.resourceKind.kind, Server.resourceKind.kind: return [change.name]
        default: return []
        }
    }

    public func allKeys() async throws -> [String] {
        try await store.list(kind: ServerBinding.resourceKind.kind).map(\.name)
    }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        guard let binding = try await store.find(ServerBinding.self, name: key) else { return .done }
        let ready = try await store.find(kind: Server.resourceKind.kind, name: key) != nil
        guard binding.status.ready != ready else { return .done }
        do {
            try await store.mutate(ServerBinding.self, name: key) { $0.status.ready = ready }
        } catch StoreError.notFound {
            return .done
        }
        if !ready {
            logger.warning("binding names a server that does not exist", metadata: ["binding": "\(key)"])
            events.record(.init(
                involved: InvolvedObject(kind: ServerBinding.resourceKind.kind, name: key, uid: binding.metadata.uid),
                type: .warning, reason: "ServerNotFound", message: "server \(key) does not exist", source: Self.source))
        }
        return .done
    }
}
