import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging
import Testing
@testable import ReconcilerCore

/// The binding's name is the lock: two reconcilers (two instances, each with its own index, as
/// two processes would have) working the same machines at once never bind one server twice, and
/// every machine ends with exactly one binding.
@Suite(.timeLimit(.minutes(2))) struct MetalMachineConcurrencyTests {
    typealias T = MachineTestStore

    @Test func twoReconcilersNeverBindOneServerTwice() async throws {
        try await T.with { t in
            let count = 50
            for index in 0..<count { try await t.server(index) }
            try await t.serverClass("workers", available: Array(0..<count))
            for index in 0..<count { try await t.machine("m\(index)", serverClass: "workers") }

            let settings = ControllerSettings(
                workers: 4, pollInterval: .milliseconds(200), resyncInterval: .seconds(3600),
                backoff: (.milliseconds(10), .milliseconds(100)))
            let runners = (0..<2).map { _ in
                ControllerRunner(
                    reconciler: t.machineReconciler(), store: t.store, changes: t.signal, settings: settings,
                    logger: Logger(label: "test"))
            }
            let tasks = runners.map { runner in Task { await runner.run() } }
            defer { for task in tasks { task.cancel() } }

            try await eventually("every machine bound") {
                let machines = try await t.store.list(kind: "MetalMachine").map(MetalMachine.init)
                let bindings = try await t.bindings()
                return machines.allSatisfy { $0.spec.serverRef != nil } && bindings.count == count
            }
            let machines = try await t.store.list(kind: "MetalMachine").map(MetalMachine.init)
            let bindings = try await t.bindings()
            let servers = machines.compactMap(\.spec.serverRef?.name)
            #expect(Set(servers).count == count)
            #expect(Set(bindings.map(\.metadata.name)) == Set(servers))
            for machine in machines {
                let binding = bindings.first { $0.metadata.name == machine.spec.serverRef?.name }
                #expect(binding?.spec.metalMachineRef.name == machine.metadata.name)
                #expect(binding?.spec.metalMachineRef.uid == machine.metadata.uid)
            }
        }
    }
}
