import AnvilController
import AnvilResources
import AnvilStore
import Testing
@testable import ReconcilerCore

/// `status.ready` = the Server named like the binding exists (docs/sidero-controllers.md §5.4).
@Suite(.timeLimit(.minutes(1))) struct ServerBindingReconcilerTests {
    typealias T = MachineTestStore

    static func binding(_ server: Int) -> Resource {
        ServerBinding(
            metadata: ObjectMeta(name: T.uuid(server)),
            spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m\(server)"))).resource
    }

    @Test func readyFollowsTheServer() async throws {
        try await T.with { t in
            try await t.server(1)
            _ = try await t.store.seed(Self.binding(1))
            _ = try await t.store.seed(Self.binding(2))
            let reconciler = ServerBindingReconciler(store: t.store, events: t.events, logger: t.logger)
            #expect(try await reconciler.allKeys() == [T.uuid(1), T.uuid(2)])
            #expect(try await reconciler.reconcile(T.uuid(1)) == .done)
            #expect(try await reconciler.reconcile(T.uuid(2)) == .done)
            #expect(try await t.binding(1)?.status.ready == true)
            #expect(try await t.binding(2)?.status.ready == false)

            // The server appears: its change maps to the binding of the same name.
            try await t.server(2)
            #expect(reconciler.keys(for: Change(revision: 9, kind: "Server", namespace: "", name: T.uuid(2), verb: .created, resourceVersion: "9")) == [T.uuid(2)])
            #expect(try await reconciler.reconcile(T.uuid(2)) == .done)
            #expect(try await t.binding(2)?.status.ready == true)

            // It goes: not ready. A binding that is gone is nothing to do.
            _ = try await t.store.delete(kind: "Server", name: T.uuid(1))
            #expect(try await reconciler.reconcile(T.uuid(1)) == .done)
            #expect(try await t.binding(1)?.status.ready == false)
            #expect(try await reconciler.reconcile(T.uuid(9)) == .done)
        }
    }
}
