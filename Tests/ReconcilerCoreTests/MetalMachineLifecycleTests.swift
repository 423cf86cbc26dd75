import AnvilController
import AnvilResources
import AnvilStore
import Testing
@testable import ReconcilerCore

/// A bound machine shows its server (providerID, addresses, ready, the binding's conditions),
/// and deleting it releases the binding before the machine goes.
@Suite(.timeLimit(.minutes(1))) struct MetalMachineLifecycleTests {
    typealias T = MachineTestStore

    @Test func theBindingIsCopiedToTheMachine() async throws {
        try await T.with { t in
            let reconciler = try await t.allocateOneMachine()

            // What the OS side reports on the binding.
            _ = try await t.store.mutate(kind: "ServerBinding", name: T.uuid(1)) { resource in
                var binding = try ServerBinding(resource)
                binding.spec.addresses = ["10.0.0.5", "fd00::5"]
                binding.spec.hostname = "talos-abc"
                binding.status.conditions = [
                    Condition(type: "TalosInstalled", status: "True", lastTransitionTime: "2026-01-02T03:04:05Z")
                ]
                resource = binding.resource
            }
            #expect(reconciler.keys(for: Change(
                revision: 1, kind: "ServerBinding", namespace: "", name: T.uuid(1), verb: .updated, resourceVersion: "1")) == ["default/m0"])
            #expect(try await reconciler.reconcile("default/m0") == .done)
            let machine = try #require(try await t.getMachine("m0"))
            #expect(machine.spec.providerID == "sidero://\(T.uuid(1))")
            #expect(machine.status.ready)
            #expect(machine.status.addresses == [
                NodeAddress(type: "InternalIP", address: "10.0.0.5"), NodeAddress(type: "InternalIP", address: "fd00::5"),
                NodeAddress(type: "Hostname", address: "talos-abc"),
            ])
            let installed = try #require(machine.status.conditions?.first { $0.type == "TalosInstalled" })
            #expect(installed.status == "True")
            #expect(installed.lastTransitionTime == "2026-01-02T03:04:05Z")
            #expect(machine.status.conditions?.first { $0.type == "ServerAllocated" }?.status == "True")
        }
    }

    @Test func deletionReleasesTheBindingThenTheMachineGoes() async throws {
        try await T.with { t in
            try await t.server(1)
            try await t.server(2)
            try await t.serverClass("workers", available: [1, 2])
            try await t.machine("m0", serverClass: "workers")
            let reconciler = t.machineReconciler()
            _ = try await reconciler.reconcile("default/m0")
            #expect(try await t.binding(1) != nil)

            let outcome = try await t.store.delete(kind: "MetalMachine", namespace: "default", name: "m0")
            guard case .deletionPending = outcome else {
                Issue.record("the finalizer should hold the machine: \(outcome)")
                return
            }
            #expect(try await reconciler.reconcile("default/m0") == .done)
            #expect(try await t.binding(1) == nil)
            #expect(try await t.getMachine("m0") == nil)
            let events = try await t.events(kind: "MetalMachine", name: "m0")
            #expect(events.contains { $0.reason == "Released" && $0.message == "Server \(T.uuid(1)) released" })

            // The released server is free again for the next machine (the index heard of the release).
            try await t.machine("m1", serverClass: "workers")
            _ = try await reconciler.reconcile("default/m1")
            #expect(try await t.getMachine("m1")?.spec.serverRef?.name == T.uuid(1))
        }
    }

    @Test func deletionLeavesAServerRefOfAnotherMachineAlone() async throws {
        try await T.with { t in
            try await t.server(1)
            try await t.machine("owner", serverRef: 1)
            try await t.machine("thief", serverRef: 1)
            let reconciler = t.machineReconciler()
            _ = try await reconciler.reconcile("default/owner")
            _ = try await reconciler.reconcile("default/thief")
            _ = try await t.store.delete(kind: "MetalMachine", namespace: "default", name: "thief")
            #expect(try await reconciler.reconcile("default/thief") == .done)
            #expect(try await t.getMachine("thief") == nil)
            #expect(try await t.binding(1)?.spec.metalMachineRef.name == "owner")
        }
    }

    @Test func aMachineGoneWithoutItsFinalizerLeavesNoBinding() async throws {
        try await T.with { t in
            let reconciler = try await t.allocateOneMachine()
            // Removed behind the controller's back (finalizer stripped, then deleted).
            _ = try await t.store.mutate(kind: "MetalMachine", namespace: "default", name: "m0") { $0.metadata.finalizers = nil }
            _ = try await t.store.delete(kind: "MetalMachine", namespace: "default", name: "m0")
            #expect(try await reconciler.reconcile("default/m0") == .done)
            #expect(try await t.bindings().isEmpty)
        }
    }
}
