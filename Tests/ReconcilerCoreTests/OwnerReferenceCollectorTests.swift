import AnvilController
import AnvilResources
import AnvilStore
import Testing
@testable import ReconcilerCore

/// Dependents whose owners are gone are deleted; references to dead owners beside a live one are
/// dropped; owners of kinds Anvil does not serve count as alive.
@Suite(.timeLimit(.minutes(1))) struct OwnerReferenceCollectorTests {
    typealias T = MachineTestStore

    static func template(_ t: T, _ name: String) async throws -> MetalMachineTemplate {
        try MetalMachineTemplate(try await t.store.seed(MetalMachineTemplate(metadata: ObjectMeta(name: name, namespace: "default")).resource))
    }

    static func reference(_ template: MetalMachineTemplate) -> OwnerReference {
        OwnerReference(owner: template.metadata, kind: ResourceKinds.metalMachineTemplate)!
    }

    @Test func deletingTheTemplateDeletesItsMachines() async throws {
        try await T.with { t in
            let template = try await Self.template(t, "workers")
            let other = try await Self.template(t, "other")
            try await t.machine("workers-0", owners: [Self.reference(template)])
            try await t.machine("workers-1", owners: [Self.reference(template)])
            // Two owners, one of which stays: only the dead reference goes.
            try await t.machine("shared", owners: [Self.reference(template), Self.reference(other)])
            // An owner Anvil cannot check (a Cluster API Machine): left alone.
            try await t.machine("capi", owners: [OwnerReference(apiVersion: "cluster.x-k8s.io/v1beta1", kind: "Machine", name: "m", uid: "u-1")])
            try await t.machine("loose")
            let collector = OwnerReferenceCollector(store: t.store, events: t.events, logger: t.logger)
            let keys = try await collector.allKeys()
            #expect(Set(keys) == ["MetalMachine:default/workers-0", "MetalMachine:default/workers-1", "MetalMachine:default/shared", "MetalMachine:default/capi"])
            for key in keys { #expect(try await collector.reconcile(key) == .done) }
            #expect(try await t.store.list(kind: "MetalMachine").count == 5)

            _ = try await t.store.delete(kind: "MetalMachineTemplate", namespace: "default", name: "workers")
            let deleted = Change(revision: 99, kind: "MetalMachineTemplate", namespace: "default", name: "workers", verb: .deleted, resourceVersion: "99")
            let dependents = collector.keys(for: deleted)
            #expect(Set(dependents) == ["MetalMachine:default/workers-0", "MetalMachine:default/workers-1", "MetalMachine:default/shared"])
            for key in dependents { #expect(try await collector.reconcile(key) == .done) }

            #expect(try await t.getMachine("workers-0") == nil)
            #expect(try await t.getMachine("workers-1") == nil)
            let shared = try #require(try await t.getMachine("shared"))
            #expect(shared.metadata.owners.map(\.name) == ["other"])
            #expect(try await t.getMachine("capi") != nil)
            #expect(try await t.getMachine("loose") != nil)
            let events = try await t.events(kind: "MetalMachine", name: "workers-0")
            #expect(events.contains { $0.reason == "GarbageCollected" && $0.source == "reconciler/owner-references" })
        }
    }

    @Test func aReCreatedOwnerIsAnotherOwner() async throws {
        try await T.with { t in
            let first = try await Self.template(t, "workers")
            try await t.machine("workers-0", owners: [Self.reference(first)])
            _ = try await t.store.delete(kind: "MetalMachineTemplate", namespace: "default", name: "workers")
            _ = try await Self.template(t, "workers")
            let collector = OwnerReferenceCollector(store: t.store, events: t.events, logger: t.logger)
            #expect(try await collector.reconcile("MetalMachine:default/workers-0") == .done)
            #expect(try await t.getMachine("workers-0") == nil)
        }
    }

    @Test func aBoundMachineReleasesItsServerFirstAndAnOrphanBindingGoes() async throws {
        try await T.with { t in
            try await t.server(1)
            try await t.server(2)
            try await t.serverClass("workers", available: [1, 2])
            let template = try await Self.template(t, "workers")
            try await t.machine("workers-0", serverClass: "workers", owners: [Self.reference(template)])
            let machines = t.machineReconciler()
            _ = try await machines.reconcile("default/workers-0")
            #expect(try await t.binding(1) != nil)

            _ = try await t.store.delete(kind: "MetalMachineTemplate", namespace: "default", name: "workers")
            let collector = OwnerReferenceCollector(store: t.store, events: t.events, logger: t.logger)
            #expect(try await collector.reconcile("MetalMachine:default/workers-0") == .done)
            // The finalizer holds the machine until the MetalMachine controller released the server.
            #expect(try await t.getMachine("workers-0")?.metadata.deletionTimestamp != nil)
            _ = try await machines.reconcile("default/workers-0")
            #expect(try await t.getMachine("workers-0") == nil)
            #expect(try await t.binding(1) == nil)

            // A binding naming a machine (by uid) that no longer exists is collected too.
            _ = try await t.store.seed(ServerBinding(
                metadata: ObjectMeta(name: T.uuid(2)),
                spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "gone", uid: "dead-uid"))).resource)
            #expect(try await collector.allKeys().contains("ServerBinding:\(T.uuid(2))"))
            #expect(try await collector.reconcile("ServerBinding:\(T.uuid(2))") == .done)
            #expect(try await t.binding(2) == nil)
        }
    }
}
