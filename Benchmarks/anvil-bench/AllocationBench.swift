import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation
import Logging
import ReconcilerCore

/// Allocation under load: M MetalMachines of one ServerClass whose status lists N accepted,
/// clean servers, bound by the MetalMachine controller running as in the reconciler (a
/// ControllerRunner fed by the change feed and this process's store-change signal). Measures
/// from the runner's start until every machine has a serverRef and a binding, then checks that
/// no server is bound twice and that every binding names its machine.
struct AllocationBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocation", abstract: "Time to bind M MetalMachines from a class of N clean servers (s, bindings/s).")

    @Option(help: "Accepted, clean servers in the class.") var servers = 10_000
    @Option(help: "MetalMachines asking for the class.") var machines = 1000
    @Option(help: "Controller workers.") var workers = 8
    @Option(help: "Give up after this many seconds.") var timeout = 120
    @Option(help: "sqlite:<new file> or postgres://…; default SQLite in a temporary directory.") var store: String?

    func run() async throws {
        let bench = try BenchStore(store, name: "allocation")
        print("store: \(bench.location.displayName)")
        let signal = StoreChangeSignal()
        try await bench.run(
            validate: ResourceValidator.validate, options: StoreOptions(changeObserver: { signal.changed(revision: $0) })
        ) { try await measure($0, signal: signal) }
    }

    private func measure(_ store: Store, signal: StoreChangeSignal) async throws {
        let seedStart = ContinuousClock.now
        try await seed(store)
        print("seeded \(servers) clean servers, 1 class, \(machines) machines in \(fixed(seconds(ContinuousClock.now - seedStart), 2)) s")

        var logger = Logger(label: "allocation-bench")
        logger.logLevel = .warning
        let events = EventBatchRecorder(store: store, source: "reconciler", logger: logger)
        // As in the daemon: the controller writes through a store fenced by the lease it holds.
        guard try await store.acquireLease(name: "reconciler", holder: "allocation-bench", duration: .seconds(3600)) else {
            throw ValidationError("the store's reconciler lease is held by someone else: use a fresh store")
        }
        let fenced = store.fenced(by: WriteFence(lease: "reconciler", holder: "allocation-bench"))
        let reconciler = MetalMachineReconciler(store: fenced, events: events, logger: logger)
        let runner = ControllerRunner(
            reconciler: reconciler, store: store, changes: signal,
            settings: .init(workers: workers, pollInterval: .seconds(10), resyncInterval: .seconds(3600)), logger: logger)

        let start = ContinuousClock.now
        // The recorder writes the controller's events as in the daemon; it is left running (a
        // cancelled recorder reports its last batch as lost) until the process exits.
        Task { try? await events.run() }
        let running = Task { await runner.run() }
        defer { running.cancel() }
        let elapsed = try await waitUntilBound(store, signal: signal, start: start)
        print(
            "allocation, \(machines) machines from \(servers) servers, \(workers) workers: \(fixed(seconds(elapsed), 3)) s"
                + " = \(Int(Double(machines) / seconds(elapsed))) bindings/s")
        try await verify(store)
    }

    static func uuid(_ index: Int) -> String { String(format: "00000000-0000-4000-8000-%012ld", index) }

    private func seed(_ store: Store) async throws {
        let count = servers
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: count, by: 4) {
                        let server = Server(
                            metadata: ObjectMeta(name: Self.uuid(index)),
                            spec: ServerSpec(hostname: "node-\(index)", accepted: true),
                            status: ServerStatus(ready: true, isClean: true, power: .off))
                        _ = try await store.seed(server.resource)
                    }
                }
            }
            try await group.waitForAll()
        }
        let serverClass = ServerClass(
            metadata: ObjectMeta(name: "bench"),
            status: ServerClassStatus(serversAvailable: (0..<servers).map(Self.uuid)))
        _ = try await store.seed(serverClass.resource)
        for index in 0..<machines {
            let machine = MetalMachine(
                metadata: ObjectMeta(name: "bench-\(index)", namespace: "default"),
                spec: MetalMachineSpec(serverClassRef: ObjectReference(kind: "ServerClass", name: "bench")))
            _ = try await store.seed(machine.resource)
        }
    }

    /// Follows the change feed until as many bindings exist as machines, then until every
    /// machine shows its server.
    private func waitUntilBound(_ store: Store, signal: StoreChangeSignal, start: ContinuousClock.Instant) async throws -> Duration {
        var revision = try await store.currentRevision()
        var bindings = 0
        let deadline = start + .seconds(timeout)
        while ContinuousClock.now < deadline {
            for change in try await store.changes(after: revision, limit: 10_000) {
                revision = change.revision
                guard change.kind == ServerBinding.resourceKind.kind else { continue }
                if change.verb == .created { bindings += 1 } else if change.verb == .deleted { bindings -= 1 }
            }
            if bindings >= machines {
                let listed = try await store.list(kind: MetalMachine.resourceKind.kind)
                let bound = try listed.filter { try MetalMachine($0).spec.serverRef != nil }.count
                if bound == machines { return ContinuousClock.now - start }
            }
            await signal.wait(after: revision, timeout: .milliseconds(20))
        }
        throw ValidationError("not every machine was bound within \(timeout) s (\(bindings) bindings)")
    }

    private func verify(_ store: Store) async throws {
        let bindings = try await store.list(kind: ServerBinding.resourceKind.kind).map(ServerBinding.init)
        let machineList = try await store.list(kind: MetalMachine.resourceKind.kind).map(MetalMachine.init)
        var byServer: [String: ServerBinding] = [:]
        for binding in bindings { byServer[binding.metadata.name] = binding }
        var serverOwners: [String: String] = [:]
        var problems: [String] = []
        for machine in machineList {
            guard let server = machine.spec.serverRef?.name else {
                problems.append("\(machine.metadata.name) has no serverRef")
                continue
            }
            if let other = serverOwners.updateValue(machine.metadata.name, forKey: server) {
                problems.append("server \(server) bound to \(other) and \(machine.metadata.name)")
            }
            if byServer[server]?.spec.metalMachineRef.name != machine.metadata.name {
                problems.append("binding \(server) does not name \(machine.metadata.name)")
            }
        }
        if bindings.count != machineList.count { problems.append("\(bindings.count) bindings for \(machineList.count) machines") }
        let expected = Set((0..<machines).map(Self.uuid))
        let lowest = Set(machineList.compactMap(\.spec.serverRef?.name)) == expected
        print(
            "verified: \(bindings.count) bindings, no server bound twice: \(problems.isEmpty ? "yes" : "NO")"
                + ", the \(machines) lowest UUIDs bound: \(lowest ? "yes" : "no")")
        if !problems.isEmpty {
            for problem in problems.prefix(10) { print("  \(problem)") }
            throw ExitCode(1)
        }
    }
}
