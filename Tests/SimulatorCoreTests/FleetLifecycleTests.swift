import AnvilResources
import Foundation
import SimulatorCore
import Testing

/// Issue 17 item 4: fifty simulated servers with real IPMI BMCs through Anvil's whole lifecycle
/// on a real `anvil up`, as Benchmarks/fleet/run.py drives it: discovered by the agent (which
/// reports its BMC), `anvil accept --all`, wiped and powered off over IPMI, allocated by a
/// MetalMachineTemplate scaled to 50, installed (PXEBooted on the install report), released
/// (scaled to 0), wiped and powered off again.
@Suite(.serialized) struct FleetLifecycleTests {
    static let servers = 50

    @Test(.timeLimit(.minutes(5))) func fiftyServersGoThroughTheWholeLifecycle() async throws {
        try await LiveFaultFlow.run(fleet: { try await LiveFleet(servers: Self.servers, seed: 21, anvil: $0) }) { flow in
            try await Self.lifecycle(anvil: flow.anvil, fleet: flow.fleet)
        }
    }

    /// The phases of Benchmarks/fleet/run.py, each with a generous timeout; true when all passed.
    static func lifecycle(anvil: LiveAnvil, fleet: LiveFleet) async throws -> Bool {
        fleet.start()
        let started = ContinuousClock.now
        var phases: [String] = []
        /// Waits for one phase; on timeout records a failure naming it with the fleet and store state.
        func phase(_ name: String, _ timeout: Duration, _ done: @Sendable () async throws -> Bool) async throws -> Bool {
            let begin = ContinuousClock.now
            let reached = try await anvil.waitFor(timeout, done)
            phases.append("\(name) \(ContinuousClock.now - begin)")
            if !reached {
                let counts = await anvil.counts()
                Issue.record("phase \(name) not reached in \(timeout)\n\(counts)\n\(fleet.status())")
            }
            return reached
        }
        let n = servers

        guard try await phase("discovered", .seconds(90), {
            let servers = try await anvil.servers()
            return servers.count == n && servers.allSatisfy { $0.spec.bmc != nil }
        }) else { return false }
        try await anvil.anvil("accept", "--all")
        guard try await phase("wiped-off", .seconds(120), { try await anvil.servers().filter(LiveAnvil.isCleanOff).count == n })
        else { return false }

        try await anvil.anvil("apply", "-f", try FleetAnvilUpTests.targetManifests(in: anvil.state))
        try await anvil.anvil("scale", "mmt", "sim", "--replicas", "\(n)", "--bootstrap-secret", "sim-bootstrap")
        guard try await phase("installed", .seconds(120), {
            try await anvil.servers().filter { $0.status.condition(Server.conditionPXEBooted)?.status == "True" }.count == n
        }) else { return false }
        // Each installed OS reboots into its disk (bootd answers `exit`) before the release.
        guard try await phase("booted from disk", .seconds(60), { fleet.fleet.report().milestones["booted-from-disk"] == n })
        else { return false }

        try await anvil.anvil("scale", "mmt", "sim", "--replicas", "0")
        guard try await phase("released", .seconds(60), {
            let free = try await anvil.servers().allSatisfy { !$0.status.inUse }
            return try await anvil.bindings() == 0 && free
        }) else { return false }
        guard try await phase("wiped-off again", .seconds(120), { try await anvil.servers().filter(LiveAnvil.isCleanOff).count == n })
        else { return false }

        // The machines agree: every one powered off, wiped twice, installed once.
        let settled = await anvil.waitFor(.seconds(10)) { fleet.fleet.machines.allSatisfy { !$0.chassis.isPoweredOn } }
        let report = fleet.fleet.report()
        print("FleetLifecycleTests: \(n) servers in \(ContinuousClock.now - started): \(phases.joined(separator: ", "))\n\(report.statusLine)")
        #expect(settled, "\(report.statusLine)")
        #expect(report.phases["off"] == n, "\(report.phases)")
        #expect(report.milestones["wiped"] == n && report.milestones["installed"] == n && report.milestones["booted-from-disk"] == n,
                "\(report.milestones)")
        #expect(report.httpFailures == 0, "\(fleet.log.all.filter { $0.contains("failed") || $0.contains("HTTP") }.prefix(10))")
        #expect(fleet.bmcTotals.commands > 0)

        // The store agrees: every Server clean, off, free, accepted, its hardware the machine's.
        let servers = try await anvil.servers()
        #expect(servers.count == n)
        for server in servers {
            let machine = try #require(fleet.machine(uuid: server.metadata.name), "a Server per machine: \(server.metadata.name)")
            let description = await anvil.describe(server.metadata.name)
            #expect(LiveAnvil.isCleanOff(server) && server.spec.accepted, "\(description)")
            #expect(server.spec.hardware?.system?.serialNumber == machine.identity.serial)
            #expect(server.status.condition(Server.conditionStalled) == nil, "\(description)")
        }
        return true
    }
}
