import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging

/// Sidero's MetalCluster controller without Cluster API (docs/sidero-controllers.md §5.5): adds the finalizer,
/// removes it when the cluster is deleted, and otherwise says `status.ready = true` (the control
/// plane endpoint is the user's; there is no load balancer). Keys are `namespace/name`.
public struct MetalClusterReconciler: Reconciler {
    public let name = "metal-cluster"
    static let source = "reconciler/metal-cluster"

    let store: Store
    let events: EventBatchRecorder
    let logger: Logger

    public init(store: Store, events: EventBatchRecorder, logger: Logger) {
        self.store = store
        self.events = events
        self.logger = logger
    }

    public func keys(for change: Change) -> [String] {
        change.kind == MetalCluster.resourceKind.kind ? [ObjectKey.make(namespace: change.namespace, name: change.name)] : []
    }

    public func allKeys() async throws -> [String] {
        try await store.list(kind: MetalCluster.resourceKind.kind).map { ObjectKey.make(namespace: $0.namespace, name: $0.name) }
    }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        let (namespace, name) = ObjectKey.split(key)
        guard let cluster = try await store.find(MetalCluster.self, namespace: namespace, name: name) else { return .done }
        let finalizer = MachineConstants.metalClusterFinalizer
        if cluster.metadata.deletionTimestamp != nil {
            guard Finalizers.has(cluster.metadata, finalizer) else { return .done }
            try await store.mutate(MetalCluster.self, namespace: namespace, name: name) {
                Finalizers.remove(finalizer, from: &$0.metadata)
            }
            return .done
        }
        guard !Finalizers.has(cluster.metadata, finalizer) || !cluster.status.ready else { return .done }
        try await store.mutate(MetalCluster.self, namespace: namespace, name: name) {
            Finalizers.add(finalizer, to: &$0.metadata)
            $0.status.ready = true
        }
        if !cluster.status.ready {
            logger.info("cluster ready", metadata: ["cluster": "\(key)"])
            events.record(.init(
                involved: InvolvedObject(kind: MetalCluster.resourceKind.kind, namespace: namespace, name: name, uid: cluster.metadata.uid),
                type: .normal, reason: "Ready", message: "cluster ready", source: Self.source))
        }
        return .done
    }
}
