import AnvilAgent
import Foundation
import Synchronization

/// N simulated machines with deterministic identities, each with a chassis and a BMC from the
/// caller's factory (docs/simulator.md "Fleet"). `start()` runs them; nothing powers on unless
/// asked (`powerOnAll()`), so Anvil's BMC calls drive them.
public final class Fleet: Sendable {
    public let configuration: FleetConfiguration
    public let machines: [SimulatedMachine]
    /// Each machine's BMC, as the factory gave it (index-aligned with `machines`).
    public let bmcs: [SimulatedBMCEndpoint?]
    private let runs = RunningTasks()
    private let clock = ContinuousClock.now

    /// Builds the machines; `bmc` is called once per machine, in index order.
    public init(configuration: FleetConfiguration, bmc: BMCEndpointFactory, log: @escaping @Sendable (String) -> Void) async throws {
        self.configuration = configuration
        let identities = (0..<configuration.servers).map {
            FleetIdentities.identity(index: $0, seed: configuration.seed, addressSecondOctet: configuration.addressSecondOctet)
        }
        let faults = configuration.machineFaults(identities: identities)
        var machines: [SimulatedMachine] = []
        var bmcs: [SimulatedBMCEndpoint?] = []
        for (index, identity) in identities.enumerated() {
            let chassis = SimulatedChassis()
            let endpoint = try await bmc(index, chassis)
            bmcs.append(endpoint)
            machines.append(SimulatedMachine(
                identity: identity, faults: faults[index], chassis: chassis,
                bmc: endpoint.map { BMCReport(ip: $0.host, port: $0.port, user: $0.user, pass: $0.password) },
                bootd: configuration.bootd, timings: configuration.timings, fetchBootScript: configuration.fetchBootScript, log: log))
        }
        self.machines = machines
        self.bmcs = bmcs
    }

    /// Starts every machine's run loop (they follow their chassis from now on).
    public func start() {
        for machine in machines { runs.add(Task { await machine.run() }) }
    }

    /// Stops every machine and waits for them (their HTTP clients are shut down).
    public func stop() async {
        await runs.cancelAndWait()
    }

    public func powerOnAll() {
        for machine in machines { machine.chassis.powerOn() }
    }

    /// Machines without machine faults, not the victim of another's duplicate UUID and not
    /// listed unhealthy (a faulty BMC): the ones `--until` waits for.
    public var healthy: [SimulatedMachine] {
        let copied = Set(machines.compactMap(\.faults.duplicateUUID))
        return machines.enumerated().filter { index, machine in
            machine.faults.isHealthy && !copied.contains(machine.identity.uuid) && !configuration.unhealthy.contains(index)
        }.map(\.element)
    }

    public func report() -> FleetReport {
        FleetReport(
            elapsedSeconds: MachineRecord.seconds(ContinuousClock.now - clock),
            machines: machines.map { $0.record.snapshot(poweredOn: $0.chassis.isPoweredOn) })
    }

    /// Whether every healthy machine is at `target`.
    public func reached(_ target: FleetTarget) -> Bool {
        healthy.allSatisfy { target.isReached(by: $0) }
    }

    /// Waits until every healthy machine is at `target`, calling `tick` every `every`; false
    /// when `timeout` passed first.
    public func wait(until target: FleetTarget, timeout: Duration?, every: Duration = .seconds(1), tick: @Sendable (FleetReport) -> Void = { _ in }) async -> Bool {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while !Task.isCancelled {
            if reached(target) { return true }
            if let deadline, ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: every)
            tick(report())
        }
        return false
    }
}

/// The fleet's machine tasks.
final class RunningTasks: Sendable {
    private let tasks = Mutex<[Task<Void, Never>]>([])

    func add(_ task: Task<Void, Never>) { tasks.withLock { $0.append(task) } }

    func cancelAndWait() async {
        let all = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in all { task.cancel() }
        for task in all { await task.value }
    }
}
