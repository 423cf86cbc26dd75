import AnvilResources
import Foundation
import SimulatorCore
import Testing

/// Each BMC fault of docs/simulator-bmc.md against a real `anvil up`: a three-server fleet whose
/// machine 0 has the fault; the two others must still reach clean and off, and the faulty one
/// must end where Anvil says why (README "bmcd": BMCReady; docs/sidero-controllers.md §5.1:
/// LifecycleAttempts, Stalled) or, for faults retries absorb, reach clean and off too.
@Suite struct FleetBMCFaultLiveTests {
    /// A power command fails fast enough for a test (first wait 250 ms, 4 sends) and is retried
    /// after 1 s, doubling (reconciler --power-retry-delay).
    static let quickFailure = ["ANVIL_IPMI_TIMEOUT": "250ms", "ANVIL_POWER_RETRY_DELAY": "1s"]

    /// A BMC that never answers: BMCReady False, a PowerFailed warning per failure, and after
    /// three in a row the lifecycle stops with Stalled/PowerCommandFailed (no endless cycling).
    @Test(.timeLimit(.minutes(3))) func frozenBMCStallsWithPowerCommandFailed() async throws {
        try await expectStall(faults: [0: BMCFaults(freezeAfter: 0)], wrongPassword: [], bmcReason: nil)
    }

    /// Anvil was given a password the BMC refuses: BMCReady False with AuthenticationFailed, then
    /// the same stall as a dead BMC.
    @Test(.timeLimit(.minutes(3))) func wrongPasswordStallsWithAuthenticationFailed() async throws {
        try await expectStall(faults: [:], wrongPassword: [0], bmcReason: "AuthenticationFailed")
    }

    func expectStall(faults: [Int: BMCFaults], wrongPassword: Set<Int>, bmcReason: String?) async throws {
        try await LiveFaultFlow.run(Self.quickFailure, fleet: {
            try await LiveFleet(servers: 3, seed: 31, anvil: $0, bmcFaults: faults, wrongPassword: wrongPassword)
        }) { flow in
            let anvil = flow.anvil
            try await flow.discoverAndAccept(servers: 3)
            let faulty = flow.fleet.fleet.machines[0].identity.uuid
            let healthy = try await flow.healthyReachCleanOff()
            let stalled = try await flow.condition(faulty, .seconds(90)) { $0.type == Server.conditionStalled && $0.status == "True" }
            let description = await anvil.describe(faulty)
            #expect(stalled?.reason == "PowerCommandFailed", "\(description)\n\(flow.fleet.status())")
            let bmcReady = try await anvil.server(faulty)?.status.condition("BMCReady")
            #expect(bmcReady?.status == "False", "\(description)")
            if let bmcReason { #expect(bmcReady?.reason == bmcReason, "\(description)") }
            #expect(try await flow.event(faulty, reason: "PowerFailed", .seconds(5)) != nil, "\(description)")
            #expect(try await flow.event(faulty, reason: "PowerCommandFailed", .seconds(5)) != nil, "\(description)")
            // Whether it got wiped depends on whether it rebooted itself into the agent after the
            // accept (the simulated agent reboots on its own); the power needs the BMC: unknown, on.
            #expect(try await anvil.server(faulty)?.status.power != .off, "\(description)")
            #expect(flow.fleet.fleet.machines[0].chassis.isPoweredOn, "nothing could power it off")
            print("BMC fault \(faults[0].map { "\($0)" } ?? "wrong password"): BMCReady \(bmcReady?.reason ?? "-"): \(bmcReady?.message ?? "-"); \(description)")
            return healthy && stalled != nil
        }
    }

    /// A BMC that takes 2 s per answer, against bmcd's default IPMI timeout (1 s, doubling on
    /// each resend): slow, but every command is answered, so the server must be wiped and off
    /// and nothing stalls.
    @Test(.timeLimit(.minutes(3))) func slowBMCStillWipesAndPowersOff() async throws {
        try await expectSuccess(faults: [0: BMCFaults(commandDelay: .seconds(2))], environment: ["ANVIL_POWER_RETRY_DELAY": "1s"])
    }

    /// 30 % of the datagrams a BMC receives are lost: bmcd's resends (3 by default) absorb it.
    @Test(.timeLimit(.minutes(3))) func lossyBMCStillWipesAndPowersOff() async throws {
        try await expectSuccess(faults: [0: BMCFaults(packetLoss: 0.3)], environment: ["ANVIL_POWER_RETRY_DELAY": "1s"])
    }

    func expectSuccess(faults: [Int: BMCFaults], environment: [String: String]) async throws {
        try await LiveFaultFlow.run(environment, fleet: { try await LiveFleet(servers: 3, seed: 32, anvil: $0, bmcFaults: faults) }) { flow in
            let (anvil, fleet) = (flow.anvil, flow.fleet)
            try await flow.discoverAndAccept(servers: 3)
            let faulty = fleet.fleet.machines[0].identity.uuid
            let healthy = try await flow.healthyReachCleanOff()
            let started = ContinuousClock.now
            let done = try await anvil.waitFor(.seconds(120)) { try await anvil.server(faulty).map(LiveAnvil.isCleanOff) ?? false }
            let description = await anvil.describe(faulty)
            #expect(done, "faulty BMC's server clean and off\n\(description)\n\(fleet.status())")
            #expect(try await anvil.server(faulty)?.status.condition(Server.conditionStalled) == nil, "\(description)")
            print("BMC fault \(faults[0].map { "\($0)" } ?? "-"): clean and off \(ContinuousClock.now - started) after the healthy ones; \(description)")
            return healthy && done
        }
    }

    /// Sidero #657: a BMC that says "on" for 10 s after a power-off. The servers are allocated
    /// right after they were powered off (inside the lie), installed, released: Anvil must still
    /// power the liar on for its install, and end with it wiped and off, not stuck.
    @Test(.timeLimit(.minutes(4))) func lyingBMCIsStillInstalledAndEndsOff() async throws {
        try await LiveFaultFlow.run(["ANVIL_POWER_RETRY_DELAY": "1s"], fleet: {
            try await LiveFleet(servers: 3, seed: 33, anvil: $0, bmcFaults: [0: BMCFaults(powerLieSeconds: 10)])
        }) { flow in
            let (anvil, fleet) = (flow.anvil, flow.fleet)
            try await flow.discoverAndAccept(servers: 3)
            let liar = fleet.fleet.machines[0].identity.uuid
            let allCleanOff: @Sendable () async throws -> Bool = { try await anvil.servers().filter(LiveAnvil.isCleanOff).count == 3 }
            // Allocate while the liar's BMC still says "on": as soon as its machine is really off
            // (the store keeps its lying "on" for a while), the two others clean and off.
            let wiped = try await anvil.waitFor(.seconds(90)) {
                let servers = try await anvil.servers()
                return servers.filter(LiveAnvil.isCleanOff).count == 2 && servers.contains { $0.metadata.name == liar && $0.status.isClean }
                    && !fleet.fleet.machines[0].chassis.isPoweredOn
            }
            let afterWipe = await anvil.describe(liar)
            try #require(wiped, "the two others clean and off, the liar wiped and really off\n\(afterWipe)\n\(fleet.status())")

            try await anvil.anvil("apply", "-f", try FleetAnvilUpTests.targetManifests(in: anvil.state))
            try await anvil.anvil("scale", "mmt", "sim", "--replicas", "3", "--bootstrap-secret", "sim-bootstrap")
            let started = ContinuousClock.now
            let installed = try await anvil.waitFor(.seconds(60)) {
                try await anvil.servers().filter { $0.status.condition(Server.conditionPXEBooted)?.status == "True" }.count == 3
            }
            let afterInstall = "\(await anvil.describe(liar))\n\(await anvil.counts())"
            #expect(installed, "all three installed, the liar too\n\(afterInstall)\n\(fleet.status())")
            let installSeconds = ContinuousClock.now - started

            try await anvil.anvil("scale", "mmt", "sim", "--replicas", "0")
            let released = try await anvil.waitFor(.seconds(90)) { try await allCleanOff() }
            let offAndStaysOff = await anvil.waitFor(.seconds(15)) { !fleet.fleet.machines[0].chassis.isPoweredOn }
            let description = await anvil.describe(liar)
            #expect(released, "all three clean and off after release\n\(description)\n\(fleet.status())")
            #expect(offAndStaysOff, "the liar's machine is off\n\(fleet.status())")
            // Sidero #657's loop: one status read and one off per reconcile for as long as the BMC
            // lied (21 power-offs in 10 s before the reconciler fix; RecentPowerOffs).
            let powerOffs = try await anvil.events(liar).filter { $0.reason == "PowerOff" }.reduce(0) { $0 + $1.count }
            #expect(powerOffs <= 6, "power-offs sent to the lying BMC: \(powerOffs)\n\(description)")
            print("BMC power lie: installed in \(installSeconds); PowerOff commands on the liar: \(powerOffs); \(description)")
            return installed && released
        }
    }
}
