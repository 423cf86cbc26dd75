import AnvilController
import AnvilResources
import AnvilStore
import Foundation
import Testing
@testable import ReconcilerCore

/// Allocation (docs/sidero-controllers.md §5.3): from a class in UUID order, by serverRef, recovered from
/// an existing binding, or a condition saying why not.
@Suite(.timeLimit(.minutes(1))) struct MetalMachineAllocationTests {
    typealias T = MachineTestStore

    @Test func aClassGivesTheFirstCleanFreeServerInUUIDOrder() async throws {
        try await T.with { t in
            try await t.server(1, clean: false)
            try await t.server(2, inUse: true)
            try await t.server(3)
            try await t.server(4)
            try await t.server(5, accepted: false)
            // Listed out of order: the walk is by ascending UUID, not list position.
            try await t.serverClass("workers", available: [5, 4, 3, 2, 1])
            let created = try await t.machine("m0", serverClass: "workers", labels: ["cluster.x-k8s.io/cluster-name": "c1"])
            let reconciler = t.machineReconciler()

            #expect(try await reconciler.reconcile("default/m0") == .done)
            let machine = try #require(try await t.getMachine("m0"))
            #expect(machine.spec.serverRef == ObjectReference(kind: "Server", name: T.uuid(3)))
            #expect(machine.spec.providerID == "sidero://\(T.uuid(3))")
            #expect(machine.status.ready)
            #expect(machine.metadata.finalizers == ["metalmachine.infrastructure.cluster.x-k8s.io"])
            let allocated = try #require(machine.status.conditions?.first { $0.type == "ServerAllocated" })
            #expect(allocated.status == "True")

            let binding = try #require(try await t.binding(3))
            #expect(binding.spec.metalMachineRef == ObjectReference(
                kind: "MetalMachine", namespace: "default", name: "m0", uid: created.metadata.uid))
            #expect(binding.spec.serverClassRef?.name == "workers")
            #expect(binding.metadata.labels == ["cluster.x-k8s.io/cluster-name": "c1"])
            #expect(try await t.bindings().count == 1)

            // The next machine gets the next server; running again changes nothing.
            try await t.machine("m1", serverClass: "workers")
            #expect(try await reconciler.reconcile("default/m1") == .done)
            #expect(try await t.getMachine("m1")?.spec.serverRef?.name == T.uuid(4))
            let version = try await t.getMachine("m0")?.metadata.resourceVersion
            #expect(try await reconciler.reconcile("default/m0") == .done)
            #expect(try await t.getMachine("m0")?.metadata.resourceVersion == version)
            #expect(try await t.bindings().map(\.metadata.name) == [T.uuid(3), T.uuid(4)])

            let events = try await t.events(kind: "MetalMachine", name: "m0")
            #expect(events.contains { $0.reason == "Allocated" && $0.message == "Server \(T.uuid(3)) allocated via serverclass workers" && $0.source == "reconciler/metal-machine" })
        }
    }

    @Test func aServerWhoseBMCFailedOrThatStalledIsNotGiven() async throws {
        try await T.with { t in
            for index in 1...4 { try await t.server(index) }
            let now = Timestamp.rfc3339(Date())
            for index in [1, 4] {
                _ = try await t.store.mutate(kind: "Server", name: T.uuid(index)) { resource in
                    var server = try Server(resource)
                    // Server 4 has no BMC at all: powered by hand, still given.
                    if index == 1 { server.spec.bmc = BMC(endpoint: "10.0.0.1", user: "admin", pass: "x") }
                    server.status.setCondition(Condition(
                        type: "BMCReady", status: "False", lastTransitionTime: now, reason: "AuthenticationFailed", message: "wrong password"))
                    resource = server.resource
                }
            }
            _ = try await t.store.mutate(kind: "Server", name: T.uuid(2)) { resource in
                var server = try Server(resource)
                server.status.setCondition(Condition(
                    type: Server.conditionStalled, status: "True", lastTransitionTime: now, reason: "PowerCommandFailed", message: "3 in a row"))
                resource = server.resource
            }
            try await t.serverClass("workers", available: [1, 2, 3, 4])
            try await t.machine("m0", serverClass: "workers")
            try await t.machine("m1", serverClass: "workers")
            #expect(try await t.machineReconciler().reconcile("default/m0") == .done)
            #expect(try await t.getMachine("m0")?.spec.serverRef?.name == T.uuid(3))
            #expect(try await t.machineReconciler().reconcile("default/m1") == .done)
            #expect(try await t.getMachine("m1")?.spec.serverRef?.name == T.uuid(4))
        }
    }

    @Test func aServerTakenMeanwhileIsSkipped() async throws {
        try await T.with { t in
            for index in 1...3 { try await t.server(index) }
            try await t.serverClass("workers", available: [1, 2, 3])
            let other = try await t.machine("other", serverRef: 9)
            // A binding for server 1 this reconciler has never heard of: the store refuses, the walk goes on.
            _ = try await t.store.seed(ServerBinding(
                metadata: ObjectMeta(name: T.uuid(1)),
                spec: ServerBindingSpec(metalMachineRef: ObjectReference(
                    kind: "MetalMachine", namespace: "default", name: "other", uid: other.metadata.uid))).resource)
            try await t.machine("m0", serverClass: "workers")
            #expect(try await t.machineReconciler().reconcile("default/m0") == .done)
            #expect(try await t.getMachine("m0")?.spec.serverRef?.name == T.uuid(2))
            #expect(try await t.binding(1)?.spec.metalMachineRef.name == "other")
        }
    }

    @Test func serverRefCreatesABindingWithoutAClassAndNeverStealsOne() async throws {
        try await T.with { t in
            try await t.server(7)
            try await t.machine("pinned", serverRef: 7)
            let reconciler = t.machineReconciler()
            #expect(try await reconciler.reconcile("default/pinned") == .done)
            let binding = try #require(try await t.binding(7))
            #expect(binding.spec.metalMachineRef.name == "pinned")
            #expect(binding.spec.serverClassRef == nil)
            let pinned = try #require(try await t.getMachine("pinned"))
            #expect(pinned.spec.providerID == "sidero://\(T.uuid(7))")
            #expect(pinned.status.ready)
            let events = try await t.events(kind: "MetalMachine", name: "pinned")
            #expect(events.contains { $0.message == "Server \(T.uuid(7)) allocated via serverRef" })

            // A second machine naming the same server waits, and the binding stays the first one's.
            try await t.machine("thief", serverRef: 7)
            #expect(try await reconciler.reconcile("default/thief") == .requeue(after: .seconds(20)))
            let thief = try #require(try await t.getMachine("thief"))
            let condition = try #require(thief.status.conditions?.first { $0.type == "ServerAllocated" })
            #expect(condition.status == "False")
            #expect(condition.reason == "ServerBoundToAnotherMachine")
            #expect(condition.message?.contains("default/pinned") == true)
            #expect(!thief.status.ready)
            #expect(thief.spec.providerID == nil)
            #expect(try await t.binding(7)?.spec.metalMachineRef.name == "pinned")
        }
    }

    @Test func anExistingBindingIsRecoveredBeforeAllocating() async throws {
        try await T.with { t in
            for index in 1...3 { try await t.server(index) }
            try await t.serverClass("workers", available: [1, 2, 3])
            let machine = try await t.machine("m0", serverClass: "workers")
            // The binding was created, but serverRef was never saved (a crash in between).
            _ = try await t.store.seed(ServerBinding(
                metadata: ObjectMeta(name: T.uuid(2)),
                spec: ServerBindingSpec(
                    metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m0", uid: machine.metadata.uid),
                    serverClassRef: ObjectReference(name: "workers"))).resource)
            let reconciler = t.machineReconciler()
            _ = try await reconciler.allKeys()  // the runner's resync, at start
            #expect(try await reconciler.reconcile("default/m0") == .done)
            #expect(try await t.getMachine("m0")?.spec.serverRef?.name == T.uuid(2))
            #expect(try await t.bindings().map(\.metadata.name) == [T.uuid(2)])
        }
    }

    @Test func noFreeServerOrNoClassIsAConditionAndARequeue() async throws {
        try await T.with { t in
            try await t.server(1, clean: false)
            try await t.serverClass("workers", available: [1])
            try await t.machine("m0", serverClass: "workers")
            try await t.machine("m1", serverClass: "missing")
            let reconciler = t.machineReconciler()

            #expect(try await reconciler.reconcile("default/m0") == .requeue(after: .seconds(20)))
            let waiting = try #require(try await t.getMachine("m0")?.status.conditions?.first { $0.type == "ServerAllocated" })
            #expect(waiting.status == "False")
            #expect(waiting.reason == "NoServersAvailable")
            #expect(waiting.message?.contains("workers") == true)
            #expect(try await t.bindings().isEmpty)
            // Waiting again writes nothing new.
            let version = try await t.getMachine("m0")?.metadata.resourceVersion
            #expect(try await reconciler.reconcile("default/m0") == .requeue(after: .seconds(20)))
            #expect(try await t.getMachine("m0")?.metadata.resourceVersion == version)

            #expect(try await reconciler.reconcile("default/m1") == .requeue(after: .seconds(20)))
            let missing = try #require(try await t.getMachine("m1")?.status.conditions?.first { $0.type == "ServerAllocated" })
            #expect(missing.reason == "ServerClassNotFound")
            #expect(missing.message == "serverclass missing not found")

            // A change to the class wakes the machines waiting on it.
            let change = Change(revision: 99, kind: "ServerClass", namespace: "", name: "workers", verb: .updated, resourceVersion: "99")
            #expect(reconciler.keys(for: change) == ["default/m0"])

            // Once the server is clean, the machine gets it.
            _ = try await t.store.mutate(kind: "Server", name: T.uuid(1)) { resource in
                var server = try Server(resource)
                server.status.isClean = true
                resource = server.resource
            }
            #expect(try await reconciler.reconcile("default/m0") == .done)
            let bound = try #require(try await t.getMachine("m0"))
            #expect(bound.spec.serverRef?.name == T.uuid(1))
            #expect(bound.status.conditions?.first { $0.type == "ServerAllocated" }?.status == "True")
            #expect(reconciler.keys(for: change).isEmpty)
        }
    }

    @Test func bindingChangesMapToTheirMachine() async throws {
        try await T.with { t in
            let reconciler = try await t.allocateOneMachine()
            let updated = Change(revision: 50, kind: "ServerBinding", namespace: "", name: T.uuid(1), verb: .updated, resourceVersion: "50")
            #expect(reconciler.keys(for: updated) == ["default/m0"])
            let machine = Change(revision: 51, kind: "MetalMachine", namespace: "ns", name: "x", verb: .created, resourceVersion: "51")
            #expect(reconciler.keys(for: machine) == ["ns/x"])
            #expect(reconciler.keys(for: Change(revision: 52, kind: "Server", namespace: "", name: T.uuid(1), verb: .updated, resourceVersion: "52")).isEmpty)
        }
    }
}
