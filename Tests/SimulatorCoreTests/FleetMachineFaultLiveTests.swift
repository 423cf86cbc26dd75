import AnvilResources
import Foundation
import SimulatorCore
import Testing

/// Each machine fault of docs/simulator.md against a real `anvil up`: a three-server fleet with
/// one faulty machine (chosen by the fraction and the seed); the healthy ones must still reach
/// clean and off, and Anvil must say what is wrong with the faulty one.
@Suite struct FleetMachineFaultLiveTests {
    /// The agent dies halfway through its first wipe (no heartbeat, no report), then the fault
    /// is gone (`setFaults`: a transient hang). With a 5 s reboot timeout the reconciler
    /// power-cycles the silent server again once the timeout passes, and it then wipes: clean
    /// and off, its attempts forgotten, nothing stalled (docs/sidero-controllers.md §5.1).
    /// Under load the discovery boot's agent can see the acceptance and die in its own wipe
    /// before the reconciler's first cycle; that cycle is then the one after the death, and one
    /// cycle is enough. The machine's log says which: the boot the agent died in is boot 1 (the
    /// discovery boot) or a later one (then the reboot timeout must cycle again: two).
    @Test(.timeLimit(.minutes(3))) func deadAgentIsPowerCycledByTheRebootTimeoutAndThenWipes() async throws {
        try await LiveFaultFlow.run(["ANVIL_SERVER_REBOOT_TIMEOUT": "5s"], fleet: {
            try await LiveFleet(servers: 3, seed: 41, anvil: $0, faults: FleetFaults(agentDies: 0.34))
        }) { flow in
            let (anvil, fleet) = (flow.anvil, flow.fleet)
            let machine = try #require(fleet.fleet.machines.first { $0.faults.agentDiesMidWipe })
            let dead = machine.identity.uuid
            try await flow.discoverAndAccept(servers: 3)
            let died = await anvil.waitFor(.seconds(60)) { fleet.log.contains("\(machine.identity.name) agent: died halfway") }
            try #require(died, "the agent died in its wipe\n\(fleet.status())")
            let death = ContinuousClock.now
            machine.setFaults(MachineFaults())
            let healthy = try await flow.healthyReachCleanOff()
            let description = await anvil.describe(dead)
            let cleanOff = try await anvil.server(dead).map(LiveAnvil.isCleanOff) ?? false
            #expect(cleanOff, "\(description)\n\(fleet.status())")
            let cycles = try await anvil.events(dead).filter { $0.reason == "PowerCycle" }.reduce(0) { $0 + $1.count }
            let bootOfDeath = Self.bootOfDeath(fleet.log.all, machine: machine.identity.name)
            #expect(cycles >= (bootOfDeath > 1 ? 2 : 1), "died in boot \(bootOfDeath), then \(cycles) cycles\n\(description)")
            let server = try await anvil.server(dead)
            #expect(server?.status.condition(Server.conditionStalled) == nil && server?.status.condition("LifecycleAttempts") == nil, "\(description)")
            print("agent dies once (boot \(bootOfDeath)): clean and off \(ContinuousClock.now - death) after the death; \(cycles) power cycles; \(description)")
            return healthy && cleanOff
        }
    }

    /// The number of the boot (`power on: boot N`) in which `machine`'s agent first died; 1 if none is logged.
    static func bootOfDeath(_ lines: [String], machine: String) -> Int {
        let own = lines.filter { $0.contains("\(machine) ") }
        guard let death = own.firstIndex(where: { $0.contains("agent: died halfway") }) else { return 1 }
        let boot = own[..<death].last { $0.contains("power on: boot ") }
        return boot.flatMap { $0.firstMatch(of: /power on: boot (\d+)/).flatMap { Int($0.1) } } ?? 1
    }

    /// The agent dies halfway through every wipe (no heartbeat, no report). With a 5 s reboot
    /// timeout the reconciler power-cycles it again when the timeout passes, and after
    /// `--lifecycle-attempts` (2 here) stops with Stalled/WipeNotReported and a Warning event
    /// (docs/sidero-controllers.md §5.1) instead of cycling it forever.
    @Test(.timeLimit(.minutes(3))) func deadAgentIsPowerCycledByTheRebootTimeoutThenStalls() async throws {
        let environment = ["ANVIL_SERVER_REBOOT_TIMEOUT": "5s", "ANVIL_LIFECYCLE_ATTEMPTS": "2"]
        try await LiveFaultFlow.run(environment, fleet: { try await LiveFleet(servers: 3, seed: 41, anvil: $0, faults: FleetFaults(agentDies: 0.34)) }) { flow in
            let (anvil, fleet) = (flow.anvil, flow.fleet)
            let dead = try #require(fleet.fleet.machines.first { $0.faults.agentDiesMidWipe }).identity.uuid
            try await flow.discoverAndAccept(servers: 3)
            let accepted = ContinuousClock.now
            let healthy = try await flow.healthyReachCleanOff()
            let stalled = try await flow.condition(dead, .seconds(60)) { $0.type == Server.conditionStalled && $0.status == "True" }
            let description = await anvil.describe(dead)
            #expect(stalled?.reason == "WipeNotReported", "\(description)\n\(fleet.status())")
            #expect(try await flow.event(dead, reason: "WipeNotReported", .seconds(5)) != nil, "\(description)")
            let cycles = try await anvil.events(dead).filter { $0.reason == "PowerCycle" }.reduce(0) { $0 + $1.count }
            let deaths = fleet.log.all.filter { $0.contains("died halfway") }.count
            // A death is counted only when the agent reaches its wipe; under load a later attempt
            // can time out before it does, so one death with two cycles already shows the retry.
            #expect(cycles >= 2 && deaths >= 1, "the reboot timeout cycled the dead agent's server again: \(cycles) cycles, \(deaths) deaths\n\(description)")
            print("agent dies: stalled \(ContinuousClock.now - accepted) after accept; \(cycles) power cycles, \(deaths) deaths; \(description)")
            return healthy && stalled != nil
        }
    }

    /// Two machines with one SMBIOS UUID: metadatad answers the second 409 and records
    /// IdentityConflict (condition, reason DuplicateUUID, and a Warning event) on the Server
    /// (docs/security.md "Duplicate identities"); the other servers are not disturbed.
    @Test(.timeLimit(.minutes(3))) func duplicateUUIDIsRecordedAsIdentityConflict() async throws {
        try await LiveFaultFlow.run(fleet: { try await LiveFleet(servers: 3, seed: 42, anvil: $0, faults: FleetFaults(duplicateUUID: 0.34)) }) { flow in
            let (anvil, fleet) = (flow.anvil, flow.fleet)
            let shared = try #require(fleet.fleet.machines.compactMap(\.faults.duplicateUUID).first)
            // Three machines, two UUIDs.
            try await flow.discoverAndAccept(servers: 2)
            let healthy = try await flow.healthyReachCleanOff()
            let conflict = try await flow.condition(shared, .seconds(30)) { $0.type == "IdentityConflict" && $0.status == "True" }
            let description = await anvil.describe(shared)
            #expect(conflict?.reason == "DuplicateUUID", "\(description)\n\(fleet.status())")
            let event = try await flow.event(shared, reason: "IdentityConflict", .seconds(10))
            #expect(event != nil, "\(description)")
            #expect(fleet.fleet.report().httpFailures > 0, "a registration refused (409)\n\(fleet.status())")
            print("duplicate UUID: \(conflict?.message ?? "-"); event ×\(event?.count ?? 0); \(description)")
            return healthy && conflict != nil
        }
    }

    /// The boot NIC's MAC changes on every boot: bootd refuses the known server's second /ipxe
    /// (no environment, no token) with a Warning event UnknownMAC (bootd --check-mac).
    @Test(.timeLimit(.minutes(3))) func changingMACIsRefusedWithUnknownMAC() async throws {
        try await LiveFaultFlow.run(fleet: { try await LiveFleet(servers: 3, seed: 43, anvil: $0, faults: FleetFaults(changingMAC: 0.34)) }) { flow in
            let (anvil, fleet) = (flow.anvil, flow.fleet)
            let changing = try #require(fleet.fleet.machines.first { $0.faults.changingMAC }).identity.uuid
            try await flow.discoverAndAccept(servers: 3)
            let healthy = try await flow.healthyReachCleanOff()
            let event = try await flow.event(changing, reason: "UnknownMAC", .seconds(30))
            let description = await anvil.describe(changing)
            #expect(event != nil, "\(description)\n\(fleet.status())")
            #expect(try await anvil.server(changing)?.status.isClean == false, "never served the agent again, so never wiped")
            print("changing MAC: \(event?.message ?? "-") ×\(event?.count ?? 0); \(description)")
            return healthy && event != nil
        }
    }
}
