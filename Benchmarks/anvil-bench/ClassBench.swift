import AnvilDaemon
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation
import Logging
import ReconcilerCore

/// The ServerClass controller on a large rack: the full load (every server, every class, every
/// status written), then one Server label change's incremental recompute, timed over many changes.
struct ClassBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes", abstract: "ServerClass membership: full load, then one server label change (ms).")

    @Option(help: "Accepted servers to create.") var servers = 10000
    @Option(help: "Server classes, `any` included.") var classes = 100
    @Option(help: "Label changes to time.") var changes = 200

    static let vendors = ["Dell Inc.", "HPE", "Supermicro", "Lenovo", "QEMU"]

    func run() async throws {
        let directory = URL(fileURLWithPath: "/tmp/anvil-bench-classes-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate)
        let count = servers
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: count, by: 4) { _ = try await store.seed(Self.server(index)) }
                }
            }
            try await group.waitForAll()
        }
        for index in 1..<max(1, classes) { _ = try await store.seed(Self.serverClass(index)) }

        var logger = Logger(label: "anvil-bench")
        logger.logLevel = .warning
        let reconciler = ServerClassReconciler(
            store: store, events: EventBatchRecorder(store: store, source: "reconciler", logger: logger), logger: logger)
        let loadStart = ContinuousClock.now
        let keys = try await reconciler.allKeys()
        let indexed = ContinuousClock.now
        for key in keys { _ = try await reconciler.reconcile(key) }
        let loaded = ContinuousClock.now
        print(
            "serverclass full load, \(count) servers, \(keys.count) classes: index \(fixed(microseconds(indexed - loadStart) / 1000)) ms, "
                + "every status written \(fixed(microseconds(loaded - loadStart) / 1000)) ms")

        var stats = LatencyStats()
        var classWrites = 0
        for step in 0..<changes {
            let index = (step * 7919) % count
            let uuid = String(format: "00000000-0000-4000-8000-%012ld", index)
            _ = try await store.mutate(kind: "Server", name: uuid) { resource in
                resource.metadata.labels?["rack"] = "r\((index + 1 + step) % 20)"
                resource.metadata.labels?["zone"] = "z\((index + 3 + step) % 7)"
            }
            let before = try await store.currentRevision()
            let start = ContinuousClock.now
            _ = try await reconciler.reconcile("server/\(uuid)")
            stats.record(ContinuousClock.now - start)
            classWrites += Int(try await store.currentRevision() - before)
        }
        print(
            "serverclass one label change (server/<uuid> reconcile), \(changes) changes: p50 \(fixed(stats.percentile(0.5) / 1000, 2)) ms, "
                + "p99 \(fixed(stats.percentile(0.99) / 1000, 2)) ms, max \(fixed(stats.percentile(1) / 1000, 2)) ms; "
                + "\(fixed(Double(classWrites) / Double(max(1, changes)), 2)) class statuses written per change")
    }

    /// Labels rack (20), zone (7), row (11); five vendors; 1-3 core sizes; 4 memory sizes; a third in use.
    static func server(_ index: Int) -> Resource {
        Server(
            metadata: ObjectMeta(
                name: String(format: "00000000-0000-4000-8000-%012ld", index),
                labels: ["rack": "r\(index % 20)", "zone": "z\(index % 7)", "row": "row\(index % 11)"]),
            spec: ServerSpec(
                hardware: HardwareInformation(
                    system: SystemInformation(manufacturer: vendors[index % vendors.count], productName: "model-\(index % 13)"),
                    compute: ComputeInformation(processors: [Processor(manufacturer: "Intel", coreCount: 8 << (index % 3))]),
                    memory: MemoryInformation(totalSize: "\(32 << (index % 4)) GB")),
                accepted: true),
            status: ServerStatus(inUse: index % 3 == 0)
        ).resource
    }

    /// Selectors, labelSelectors (OR), hardware qualifiers (OR), and selector + hardware.
    static func serverClass(_ index: Int) -> Resource {
        var spec = ServerClassSpec()
        switch index % 5 {
        case 0: spec.selector = LabelSelector(matchLabels: ["rack": "r\(index % 20)"])
        case 1: spec.qualifiers = Qualifiers(labelSelectors: [["zone": "z\(index % 7)"], ["row": "row\(index % 11)"]])
        case 2:
            spec.qualifiers = Qualifiers(hardware: [
                HardwareInformation(system: SystemInformation(manufacturer: vendors[index % vendors.count])),
                HardwareInformation(memory: MemoryInformation(totalSize: "\(32 << (index % 4)) GB")),
            ])
        case 3:
            spec.qualifiers = Qualifiers(hardware: [
                HardwareInformation(compute: ComputeInformation(processors: [Processor(coreCount: 8 << (index % 3))]))
            ])
            spec.selector = LabelSelector(matchLabels: ["rack": "r\(index % 20)"])
        default:
            spec.selector = LabelSelector(matchExpressions: [
                .init(key: "zone", operator: .in, values: ["z\(index % 7)", "z\((index + 1) % 7)"]),
                .init(key: "rack", operator: .notIn, values: ["r\(index % 20)"]),
            ])
        }
        return ServerClass(metadata: ObjectMeta(name: "class-\(index)"), spec: spec).resource
    }
}
