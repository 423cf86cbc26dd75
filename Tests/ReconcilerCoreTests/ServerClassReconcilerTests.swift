import AnvilController
import AnvilResources
import AnvilStore
import Testing

@testable import ReconcilerCore

/// The ServerClass controller against a real store: status lists follow servers and classes,
/// incrementally, and nothing is written when nothing changed.
@Suite struct ServerClassReconcilerTests {
    typealias F = ServerClassFixture
    static let u = (1...9).map(F.uuid)

    /// s1 rack r1; s2 rack r2; s3 not accepted; s4 cordoned; s5 rack r1 in use; s6 HPE rack r2.
    /// Classes: r1 (selector rack=r1), r2 (labelSelectors rack=r2 OR row=z), dell (hardware).
    func seed(_ f: F) async throws {
        for server in [
            F.server(1, labels: ["rack": "r1"]), F.server(2, labels: ["rack": "r2"]),
            F.server(3, labels: ["rack": "r1"], accepted: false), F.server(4, labels: ["rack": "r1"], cordoned: true),
            F.server(5, labels: ["rack": "r1"], inUse: true), F.server(6, labels: ["rack": "r2"], manufacturer: "HPE"),
        ] {
            _ = try await f.store.seed(server)
        }
        _ = try await f.store.seed(F.serverClass("r1", selector: LabelSelector(matchLabels: ["rack": "r1"])))
        _ = try await f.store.seed(F.serverClass("r2", qualifiers: Qualifiers(labelSelectors: [["rack": "r2", "row": "z"]])))
        _ = try await f.store.seed(F.serverClass(
            "dell", qualifiers: Qualifiers(hardware: [HardwareInformation(system: SystemInformation(manufacturer: "Dell Inc."))])))
    }

    @Test func keysNameTheChangedObject() async throws {
        try await F.with { f in
            let server = Change(revision: 1, kind: "Server", namespace: "", name: Self.u[0], verb: .updated, resourceVersion: "1")
            let cls = Change(revision: 2, kind: "ServerClass", namespace: "", name: "r1", verb: .deleted, resourceVersion: "2")
            let other = Change(revision: 3, kind: "Environment", namespace: "", name: "default", verb: .created, resourceVersion: "3")
            #expect(f.reconciler.keys(for: server) == ["server/\(Self.u[0])"])
            #expect(f.reconciler.keys(for: cls) == ["class/r1"])
            #expect(f.reconciler.keys(for: other) == [])
            #expect(f.reconciler.name == "serverclass")
            let result = try await f.reconciler.reconcile("bogus")
            #expect(result == ReconcileResult.done)
        }
    }

    @Test func initialLoadFillsEveryClass() async throws {
        try await F.with { f in
            try await seed(f)
            let keys = try await f.reconciler.allKeys()
            #expect(keys.sorted() == ["class/any", "class/dell", "class/r1", "class/r2"])
            for key in keys { _ = try await f.reconciler.reconcile(key) }
            #expect(try await f.available("any") == [Self.u[0], Self.u[1], Self.u[5]])
            #expect(try await f.inUse("any") == [Self.u[4]])
            #expect(try await f.available("r1") == [Self.u[0]])
            #expect(try await f.inUse("r1") == [Self.u[4]])
            #expect(try await f.available("r2") == [Self.u[1], Self.u[5]])
            #expect(try await f.available("dell") == [Self.u[0], Self.u[1]])
            #expect(try await f.inUse("dell") == [Self.u[4]])
        }
    }

    @Test func labelChangeMovesAServerBetweenClasses() async throws {
        try await F.with { f in
            try await seed(f)
            try await f.resync()
            let anyVersion = try await f.resourceVersion("any")
            try await f.change(server: 1) { $0.metadata.labels = ["rack": "r2"] }
            #expect(try await f.available("r1") == [])
            #expect(try await f.available("r2") == [Self.u[0], Self.u[1], Self.u[5]])
            // Still in `any` and `dell`: those were not written.
            #expect(try await f.resourceVersion("any") == anyVersion)
            // One pair of a labelSelectors entry is enough (row=z), none is not.
            try await f.change(server: 1) { $0.metadata.labels = ["row": "z"] }
            #expect(try await f.available("r2") == [Self.u[0], Self.u[1], Self.u[5]])
            try await f.change(server: 1) { $0.metadata.labels = ["row": "y"] }
            #expect(try await f.available("r2") == [Self.u[1], Self.u[5]])
        }
    }

    @Test func acceptingAndCordoningMoveServersInAndOut() async throws {
        try await F.with { f in
            try await seed(f)
            try await f.resync()
            try await f.change(server: 3) { $0.spec.accepted = true }
            #expect(try await f.available("r1") == [Self.u[0], Self.u[2]])
            #expect(try await f.available("any") == [Self.u[0], Self.u[1], Self.u[2], Self.u[5]])
            try await f.change(server: 1) { $0.spec.cordoned = true }
            #expect(try await f.available("r1") == [Self.u[2]])
            #expect(try await f.available("dell") == [Self.u[1], Self.u[2]])
            #expect(try await f.available("any") == [Self.u[1], Self.u[2], Self.u[5]])
            try await f.change(server: 4) { $0.spec.cordoned = false }
            #expect(try await f.available("r1") == [Self.u[2], Self.u[3]])
        }
    }

    @Test func inUseMovesBetweenTheLists() async throws {
        try await F.with { f in
            try await seed(f)
            try await f.resync()
            try await f.change(server: 1) { $0.status.inUse = true }
            #expect(try await f.available("r1") == [])
            #expect(try await f.inUse("r1") == [Self.u[0], Self.u[4]])
            #expect(try await f.inUse("any") == [Self.u[0], Self.u[4]])
            try await f.change(server: 5) { $0.status.inUse = false }
            #expect(try await f.available("r1") == [Self.u[4]])
            #expect(try await f.inUse("r1") == [Self.u[0]])
        }
    }

    @Test func classesComeGoAndChange() async throws {
        try await F.with { f in
            try await seed(f)
            try await f.resync()
            var before = try await f.store.currentRevision()
            _ = try await f.store.seed(F.serverClass("hpe", qualifiers: Qualifiers(hardware: [
                HardwareInformation(system: SystemInformation(manufacturer: "HPE"))
            ])))
            try await f.settle(after: before)
            #expect(try await f.available("hpe") == [Self.u[5]])

            // A spec change recomputes the class.
            before = try await f.store.currentRevision()
            _ = try await f.store.mutate(kind: "ServerClass", name: "r1") { resource in
                var cls = try ServerClass(resource)
                cls.spec.selector = LabelSelector(matchLabels: ["rack": "r2"])
                resource = cls.resource
            }
            try await f.settle(after: before)
            #expect(try await f.available("r1") == [Self.u[1], Self.u[5]])
            #expect(try await f.inUse("r1") == [])

            // A deleted class leaves the index; later server changes do not try to write it.
            before = try await f.store.currentRevision()
            _ = try await f.store.delete(kind: "ServerClass", name: "r2")
            try await f.settle(after: before)
            #expect(await f.reconciler.index.status(ofClass: "r2") == nil)
            try await f.change(server: 2) { $0.metadata.labels = ["rack": "r1"] }
            #expect(try await f.store.find(kind: "ServerClass", name: "r2") == nil)

            // Created again under the same name: computed afresh.
            before = try await f.store.currentRevision()
            _ = try await f.store.seed(F.serverClass("r2", selector: LabelSelector(matchLabels: ["rack": "r1"])))
            try await f.settle(after: before)
            #expect(try await f.available("r2") == [Self.u[0], Self.u[1]])
            #expect(try await f.inUse("r2") == [Self.u[4]])
        }
    }

    @Test func deletedServerLeavesEveryClass() async throws {
        try await F.with { f in
            try await seed(f)
            try await f.resync()
            let before = try await f.store.currentRevision()
            _ = try await f.store.delete(kind: "Server", name: Self.u[1])
            try await f.settle(after: before)
            #expect(try await f.available("any") == [Self.u[0], Self.u[5]])
            #expect(try await f.available("r2") == [Self.u[5]])
            #expect(try await f.available("dell") == [Self.u[0]])
            #expect(await f.reconciler.index.serverCount == 5)
        }
    }

    @Test func statusIsNotRewrittenWhenNothingChanged() async throws {
        try await F.with { f in
            try await seed(f)
            try await f.resync()
            let revision = try await f.store.currentRevision()
            let versions = try await ["any", "r1", "r2", "dell"].asyncMap { try await f.resourceVersion($0) }
            // A full resync, every key again, and the echo of every earlier write: no write at all.
            try await f.resync()
            for index in 1...6 { _ = try await f.reconciler.reconcile("server/\(F.uuid(index))") }
            try await f.settle(after: 0)
            #expect(try await f.store.currentRevision() == revision)
            // A change that moves a server in no class writes only that server.
            try await f.change(server: 6) { $0.spec.hostname = "renamed" }
            #expect(try await f.store.currentRevision() == revision + 1)
            #expect(try await ["any", "r1", "r2", "dell"].asyncMap { try await f.resourceVersion($0) } == versions)
        }
    }

    @Test func aStatusChangedBehindItsBackIsRepaired() async throws {
        try await F.with { f in
            try await seed(f)
            try await f.resync()
            let before = try await f.store.currentRevision()
            _ = try await f.store.mutate(kind: "ServerClass", name: "r1") { resource in
                resource.status = ServerClassStatusJSON.encode(ServerClassStatus(serversAvailable: ["bogus"]))
            }
            try await f.settle(after: before)
            #expect(try await f.available("r1") == [Self.u[0]])
            #expect(try await f.inUse("r1") == [Self.u[4]])
        }
    }

    @Test func anyIsCreatedOnceAndNeverOverwritten() async throws {
        try await F.with { f in
            #expect(try await ServerClassReconciler.ensureAnyClass(store: f.store))
            #expect(try await !ServerClassReconciler.ensureAnyClass(store: f.store))
            let created = try ServerClass(try await f.store.get(kind: "ServerClass", name: "any"))
            #expect(created.spec == ServerClassSpec())

            // An operator narrows it: the resync keeps their spec and only computes the status.
            _ = try await f.store.mutate(kind: "ServerClass", name: "any") { resource in
                var cls = try ServerClass(resource)
                cls.spec.selector = LabelSelector(matchLabels: ["rack": "r1"])
                resource = cls.resource
            }
            try await seed(f)
            try await f.resync()
            let any = try ServerClass(try await f.store.get(kind: "ServerClass", name: "any"))
            #expect(any.spec.selector == LabelSelector(matchLabels: ["rack": "r1"]))
            #expect(any.status.serversAvailable == [Self.u[0]])
            #expect(any.metadata.generation == 2)
        }
    }

    @Test func resyncCreatesAnyWhenMissing() async throws {
        try await F.with { f in
            _ = try await f.store.seed(F.server(1))
            try await f.resync()
            #expect(try await f.available("any") == [Self.u[0]])
        }
    }

    @Test func reconcileBeforeAnyResyncLoadsTheIndex() async throws {
        try await F.with { f in
            try await seed(f)
            _ = try await f.reconciler.reconcile("class/r1")
            #expect(try await f.available("r1") == [Self.u[0]])
            #expect(try await f.inUse("r1") == [Self.u[4]])
        }
    }
}

extension Array where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
