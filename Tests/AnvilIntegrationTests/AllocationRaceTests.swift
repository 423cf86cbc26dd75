import AnvilResources
import AnvilStore
import Foundation
import Synchronization
import Testing

/// Allocation under failure: two reconciler processes (one active, one standby), the CLI creating
/// 1000 MetalMachines over 1000 clean servers, and the active reconciler SIGKILLed 20 times.
/// Every machine ends bound exactly once, no server twice, nothing stuck.
@Suite struct AllocationRaceTests {
    static let count = 1000
    static let kills = 20

    static func serverName(_ index: Int) -> String { String(format: "00000000-0000-4000-a000-%012ld", index) }

    /// The reconcilers, restarted as they are killed.
    final class Reconcilers: Sendable {
        let state: TemporaryDirectory
        let arguments: [String]
        let children = Mutex<[String: ChildProcess]>([:])

        init(state: TemporaryDirectory) {
            self.state = state
            arguments = ["--local", "--state", state.path, "--http-port", "0", "--log-level", "warning",
                         "--lease-duration", "1s", "--default-environment-url", "file:///nonexistent"]
        }

        func start(_ instance: String) throws {
            let child = try ChildProcess(BuiltProducts.url("reconciler"), arguments + ["--instance", instance])
            children.withLock { $0[instance] = child }
        }

        /// The instance holding the lease, from its holder string `<host>/<pid>/<bus name>`.
        func active(_ store: Store) async throws -> String? {
            guard let lease = try await store.lease(name: "reconciler"), lease.expiresAt > Date() else { return nil }
            let pid = lease.holder.split(separator: "/").dropFirst().first.flatMap { Int32($0) }
            return children.withLock { children in children.first { $0.value.pid == pid }?.key }
        }

        func kill(_ instance: String) async throws {
            guard let child = children.withLock({ $0[instance] }) else { return }
            child.signal(SIGKILL)
            _ = try? await child.wait(timeout: .seconds(10))
        }

        func stopAll() async {
            for child in children.withLock({ Array($0.values) }) {
                child.signal(SIGTERM)
                _ = try? await child.wait(timeout: .seconds(20))
            }
        }
    }

    @Test(.timeLimit(.minutes(10))) func everyMachineBoundOnceWhileTheActiveReconcilerIsKilled() async throws {
        let bmcd = try await BMCDaemon(extraArguments: ["--fake-power"])
        let store = bmcd.store
        // 1000 accepted servers the agent has already wiped.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: Self.count, by: 4) {
                        var server = Server(metadata: ObjectMeta(name: Self.serverName(index)), spec: ServerSpec(accepted: true))
                        server.status.isClean = true
                        _ = try await store.seed(server.resource)
                    }
                }
            }
            try await group.waitForAll()
        }
        let reconcilers = Reconcilers(state: bmcd.state)
        try reconcilers.start("a")
        try reconcilers.start("b")

        // The CLI creates the machines in batches while the killing goes on.
        let anvil = AnvilCLI(state: bmcd.state)
        let creating = Task {
            for batch in stride(from: 0, to: Self.count, by: 100) {
                let manifest = MultiHostTests.machinesManifest(batch..<(batch + 100))
                _ = try await anvil.ok("apply", "-f", "-", stdin: manifest)
            }
        }
        var killed = 0
        while killed < Self.kills {
            guard let active = try await reconcilers.active(store) else {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 200...1200)))
            try await reconcilers.kill(active)
            killed += 1
            try reconcilers.start(active)
        }
        try await creating.value

        // Everything settles: each machine has a server and a binding naming it.
        let deadline = ContinuousClock.now + .seconds(300)
        var machines: [MetalMachine] = []
        var bindings: [ServerBinding] = []
        while ContinuousClock.now < deadline {
            machines = try await store.list(kind: "MetalMachine").map(MetalMachine.init)
            bindings = try await store.list(kind: "ServerBinding").map(ServerBinding.init)
            if machines.count == Self.count, bindings.count == Self.count, machines.allSatisfy({ $0.spec.serverRef?.name != nil }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(machines.count == Self.count)
        #expect(bindings.count == Self.count, "one binding per machine")
        let boundMachines = bindings.map { "\($0.spec.metalMachineRef.namespace ?? "")/\($0.spec.metalMachineRef.name ?? "")" }
        #expect(Set(boundMachines).count == bindings.count, "no machine bound twice")
        // A binding is named by its server: no server can be bound twice. Each machine's serverRef names its own binding.
        let bindingByMachine = Dictionary(uniqueKeysWithValues: zip(boundMachines, bindings.map(\.metadata.name)))
        for machine in machines {
            #expect(machine.spec.serverRef?.name == bindingByMachine["default/\(machine.metadata.name)"], "machine \(machine.metadata.name)")
        }
        await reconcilers.stopAll()
        try await bmcd.stop()
    }
}
