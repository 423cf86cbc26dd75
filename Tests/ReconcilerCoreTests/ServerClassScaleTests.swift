import AnvilResources
import AnvilStore
import Testing

@testable import ReconcilerCore

/// 10 000 servers and 100 classes: one server's label change costs one incremental reconcile.
@Suite struct ServerClassScaleTests {
    static let servers = 10_000
    static let vendors = ["Dell Inc.", "HPE", "Supermicro", "Lenovo", "QEMU"]

    static func server(_ index: Int) -> Resource {
        Server(
            metadata: ObjectMeta(
                name: ServerClassFixture.uuid(index),
                labels: ["rack": "r\(index % 20)", "zone": "z\(index % 7)", "row": "row\(index % 11)"]),
            spec: ServerSpec(
                hardware: HardwareInformation(
                    system: SystemInformation(manufacturer: vendors[index % vendors.count]),
                    compute: ComputeInformation(processors: [Processor(manufacturer: "Intel", coreCount: 8 << (index % 3))]),
                    memory: MemoryInformation(totalSize: "\(32 << (index % 4)) GB")),
                accepted: true),
            status: ServerStatus(inUse: index % 3 == 0)
        ).resource
    }

    /// 99 classes besides `any`: selectors, labelSelectors (OR), hardware, and mixes.
    static func serverClass(_ index: Int) -> Resource {
        let name = "class-\(index)"
        switch index % 5 {
        case 0:
            return ServerClassFixture.serverClass(name, selector: LabelSelector(matchLabels: ["rack": "r\(index % 20)"]))
        case 1:
            return ServerClassFixture.serverClass(
                name, qualifiers: Qualifiers(labelSelectors: [["zone": "z\(index % 7)"], ["row": "row\(index % 11)"]]))
        case 2:
            return ServerClassFixture.serverClass(name, qualifiers: Qualifiers(hardware: [
                HardwareInformation(system: SystemInformation(manufacturer: vendors[index % vendors.count])),
                HardwareInformation(memory: MemoryInformation(totalSize: "\(32 << (index % 4)) GB")),
            ]))
        case 3:
            return ServerClassFixture.serverClass(
                name,
                qualifiers: Qualifiers(hardware: [
                    HardwareInformation(compute: ComputeInformation(processors: [Processor(coreCount: 8 << (index % 3))]))
                ]),
                selector: LabelSelector(matchLabels: ["rack": "r\(index % 20)"]))
        default:
            return ServerClassFixture.serverClass(name, selector: LabelSelector(matchExpressions: [
                .init(key: "zone", operator: .in, values: ["z\(index % 7)", "z\((index + 1) % 7)"]),
                .init(key: "rack", operator: .notIn, values: ["r\(index % 20)"]),
            ]))
        }
    }

    @Test func oneLabelChangeIsCheapAmongTenThousandServers() async throws {
        try await ServerClassFixture.with { f in
            let seedStart = ContinuousClock.now
            let store = f.store
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for index in stride(from: worker, to: Self.servers, by: 4) { _ = try await store.seed(Self.server(index)) }
                    }
                }
                try await group.waitForAll()
            }
            for index in 1..<100 { _ = try await f.store.seed(Self.serverClass(index)) }
            let loadStart = ContinuousClock.now
            try await f.resync()
            let loaded = ContinuousClock.now
            #expect(try await f.store.list(kind: "ServerClass").count == 100)
            #expect(try await f.available("any").count + f.inUse("any").count == Self.servers)

            var timings: [Duration] = []
            for (step, index) in [1234, 4321, 777, 9999, 5000].enumerated() {
                let uuid = ServerClassFixture.uuid(index)
                _ = try await f.store.mutate(kind: "Server", name: uuid) { resource in
                    resource.metadata.labels?["rack"] = "r\((index + 1 + step) % 20)"
                    resource.metadata.labels?["zone"] = "z\((index + 3) % 7)"
                }
                let start = ContinuousClock.now
                _ = try await f.reconciler.reconcile("server/\(uuid)")
                timings.append(ContinuousClock.now - start)
            }
            // The result matches a recomputation from scratch.
            let servers = try await f.store.list(kind: "Server").map { try Server($0) }
            for name in ["class-5", "class-6", "class-8", "class-9"] {
                let cls = try ServerClass(try await f.store.get(kind: "ServerClass", name: name))
                let members = ServerClassMembership.members(of: cls, among: servers)
                #expect(cls.status.serversAvailable == members.filter { !$0.status.inUse }.map(\.metadata.name))
                #expect(cls.status.serversInUse == members.filter(\.status.inUse).map(\.metadata.name))
            }
            let sorted = timings.sorted()
            print(
                "serverclass scale: seeded \(Self.servers) servers in \(loadStart - seedStart), full load and 100 class writes in \(loaded - loadStart); "
                    + "one server/<uuid> reconcile after a label change: \(timings.map { "\($0)" }.joined(separator: ", ")) (median \(sorted[sorted.count / 2]))")
            #expect(sorted[sorted.count / 2] < .seconds(2))
        }
    }
}
