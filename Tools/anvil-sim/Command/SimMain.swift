import ArgumentParser
import Foundation
import SimulatorCore

/// `anvil-sim`: simulated servers on loopback driving Anvil through its real protocols
/// (docs/simulator.md). Thin over SimulatorCore: parse, validate, build the fleet, report.
@main
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anvil-sim",
        abstract: "Simulates servers (IPMI BMCs, firmware, agent, installed OS) against a running Anvil.")

    @OptionGroup var fleet: FleetOptions
    @OptionGroup var faults: FaultOptions
    @OptionGroup var output: RunOptions

    func validate() throws {
        try fleet.check()
        try faults.check()
        try output.check()
    }

    func run() async throws {
        var configuration = FleetConfiguration(
            servers: fleet.servers, seed: fleet.seed, bootd: fleet.bootd,
            timings: MachineTimings(
                wipe: .milliseconds(Int64((fleet.wipeSeconds * 1000).rounded())), post: .milliseconds(Int64((fleet.postSeconds * 1000).rounded()))),
            faults: faults.fleetFaults, fetchBootScript: fleet.bootIpxe)
        let quiet = output.quiet
        let bmcs = try FleetBMCs(count: fleet.servers, faults: faults.fleetFaults, seed: fleet.seed)
        configuration.unhealthy = Set(bmcs.plan.kinds.indices.filter { bmcs.plan.kinds[$0] != nil })
        let fleetModel = try await Fleet(configuration: configuration, bmc: bmcs.factory) { line in
            if !quiet { Console.line(line) }
        }
        for (index, (machine, bmc)) in zip(fleetModel.machines, fleetModel.bmcs).enumerated() {
            let faults = machine.faults.names + (bmcs.fault(of: index).map { ["bmc-\($0.rawValue)"] } ?? [])
            Console.line("\(machine.identity.name) uuid \(machine.identity.uuid) mac \(machine.identity.macs.joined(separator: ",")) address \(machine.identity.address)"
                + (bmc.map { " bmc \($0.host):\($0.port)" } ?? "") + (faults.isEmpty ? "" : " faults \(faults.joined(separator: ","))"))
        }
        if fleet.createServers {
            let outcome = try await ServerCreation.create(
                machines: zip(fleetModel.machines, fleetModel.bmcs).map { ($0.identity, $1) },
                stateDirectory: fleet.stateDirectory, accepted: fleet.acceptServers)
            Console.line("servers created: \(outcome.created.count), already there: \(outcome.existing.count)")
        }
        fleetModel.start()
        if fleet.powerOn { fleetModel.powerOnAll() }
        let reached = await RunLoop(fleet: fleetModel, options: output).run()
        var report = fleetModel.report()
        report.bmc = FleetBMCReport(totals: bmcs.totals, servers: fleet.servers, plan: bmcs.plan)
        await fleetModel.stop()
        await bmcs.stop()
        Console.line(report.statusLine)
        if let file = output.reportJSON {
            try report.json().write(to: URL(fileURLWithPath: file))
            Console.line("report written to \(file)")
        }
        if reached == false { throw ExitCode(1) }
    }
}
