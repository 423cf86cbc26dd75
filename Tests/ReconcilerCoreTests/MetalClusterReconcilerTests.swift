import AnvilController
import AnvilResources
import AnvilStore
import Testing
@testable import ReconcilerCore

/// Finalizer added, ready set, finalizer removed on delete (docs/sidero-controllers.md §5.5).
@Suite(.timeLimit(.minutes(1))) struct MetalClusterReconcilerTests {
    @Test func readyThenReleasedOnDelete() async throws {
        try await MachineTestStore.with { t in
            _ = try await t.store.seed(MetalCluster(
                metadata: ObjectMeta(name: "c1", namespace: "prod"),
                spec: MetalClusterSpec(controlPlaneEndpoint: APIEndpoint(host: "10.0.0.1", port: 6443))).resource)
            let reconciler = MetalClusterReconciler(store: t.store, events: t.events, logger: t.logger)
            #expect(try await reconciler.allKeys() == ["prod/c1"])
            #expect(reconciler.keys(for: Change(revision: 1, kind: "MetalCluster", namespace: "prod", name: "c1", verb: .created, resourceVersion: "1")) == ["prod/c1"])
            #expect(try await reconciler.reconcile("prod/c1") == .done)
            let cluster = try #require(try await t.store.find(kind: "MetalCluster", namespace: "prod", name: "c1").map(MetalCluster.init))
            #expect(cluster.status.ready)
            #expect(cluster.metadata.finalizers == ["metalcluster.infrastructure.cluster.x-k8s.io"])
            // Again: nothing to write.
            #expect(try await reconciler.reconcile("prod/c1") == .done)
            #expect(try await t.store.find(kind: "MetalCluster", namespace: "prod", name: "c1")?.metadata.resourceVersion == cluster.metadata.resourceVersion)

            guard case .deletionPending = try await t.store.delete(kind: "MetalCluster", namespace: "prod", name: "c1") else {
                Issue.record("the finalizer should hold the cluster")
                return
            }
            #expect(try await reconciler.reconcile("prod/c1") == .done)
            #expect(try await t.store.find(kind: "MetalCluster", namespace: "prod", name: "c1") == nil)
        }
    }
}
