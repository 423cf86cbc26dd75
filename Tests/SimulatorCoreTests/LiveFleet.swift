import AnvilResources
import Foundation
import SimulatorCore
import Synchronization

/// A fleet of simulated machines with real IPMI BMCs against a `LiveAnvil`, powered on so the
/// agent discovers each server and reports its BMC (docs/simulator.md). The BMCs are either
/// `FleetBMCs` (faults dealt by fraction and seed) or built here with the faults a test names
/// per machine index (docs/simulator-bmc.md "Faults").
final class LiveFleet: Sendable {
    let fleet: Fleet
    let log = MachineTestLog()
    private let bmcServer: SimulatedBMCServer?
    private let fleetBMCs: FleetBMCs?
    private let ownBMCs = OwnBMCs()

    /// Short timings so a test runs in seconds; the agent waits 2 s before rebooting an
    /// unaccepted server (10 s on hardware) so discovery does not loop too hard.
    static let timings = MachineTimings(
        wipe: .seconds(1), retry: .milliseconds(500), attempts: 10, agentDone: .milliseconds(500),
        agentNotDone: .seconds(2), installed: .milliseconds(200), agentRetry: .milliseconds(200))

    /// BMCs from `FleetBMCs` (the lifecycle test: all healthy unless `faults` has BMC fractions).
    init(servers: Int, seed: UInt64, anvil: LiveAnvil, faults: FleetFaults = FleetFaults()) async throws {
        let bmcs = try FleetBMCs(count: servers, faults: faults, seed: seed)
        var configuration = FleetConfiguration(servers: servers, seed: seed, bootd: anvil.bootd, timings: Self.timings, faults: faults)
        configuration.unhealthy = Set(bmcs.plan.kinds.indices.filter { bmcs.plan.kinds[$0] != nil })
        fleetBMCs = bmcs
        bmcServer = nil
        fleet = try await Fleet(configuration: configuration, bmc: bmcs.factory, log: log.sink)
    }

    /// BMCs built here: machine `index` gets `bmcFaults[index]` (none otherwise), and Anvil is
    /// told a wrong password for the indices in `wrongPassword`. Machine faults come from
    /// `faults`' fractions with the seed.
    init(
        servers: Int, seed: UInt64, anvil: LiveAnvil, faults: FleetFaults = FleetFaults(), bmcFaults: [Int: BMCFaults] = [:],
        wrongPassword: Set<Int> = []
    ) async throws {
        let server = try SimulatedBMCServer()
        var configuration = FleetConfiguration(servers: servers, seed: seed, bootd: anvil.bootd, timings: Self.timings, faults: faults)
        configuration.unhealthy = Set(bmcFaults.keys).union(wrongPassword)
        fleetBMCs = nil
        bmcServer = server
        fleet = try await Fleet(configuration: configuration, bmc: { [ownBMCs] index, chassis in
            let bmc = SimulatedBMC(chassis: chassis, user: FleetBMCs.user, password: FleetBMCs.password, faults: bmcFaults[index] ?? .none)
            let port = try await server.add(bmc)
            ownBMCs.list.withLock { $0[index] = bmc }
            return SimulatedBMCEndpoint(
                host: server.host, port: port, user: FleetBMCs.user,
                password: wrongPassword.contains(index) ? FleetBMCs.wrongPassword : FleetBMCs.password)
        }, log: log.sink)
    }

    func start() {
        fleet.start()
        fleet.powerOnAll()
    }

    func stop() async {
        await fleet.stop()
        await fleetBMCs?.stop()
        await bmcServer?.stop()
    }

    var bmcTotals: BMCStatistics {
        fleetBMCs?.totals ?? ownBMCs.list.withLock { $0.values.reduce(BMCStatistics()) { $0 + $1.statistics } }
    }

    /// The fleet's status line and the last log lines, for failure messages.
    func status(lines: Int = 30) -> String {
        fleet.report().statusLine + " ipmi \(bmcTotals.commands)\n" + log.all.suffix(lines).joined(separator: "\n")
    }

    /// The machine whose Server is named `uuid` (its own UUID, not a copied one).
    func machine(uuid: String) -> SimulatedMachine? {
        fleet.machines.first { $0.identity.uuid == uuid }
    }

    /// Server names of the healthy machines (the ones that must finish despite the faulty one).
    var healthyNames: [String] { fleet.healthy.map(\.identity.uuid) }
}

/// The BMCs a `LiveFleet` built itself, by machine index.
final class OwnBMCs: Sendable {
    let list = Mutex<[Int: SimulatedBMC]>([:])
}
