import AnvilIPMIClient
import AnvilPower
import SimulatorCore
import Testing

/// The fleet's BMCs: faults dealt to disjoint machines by fraction, and every endpoint answering
/// Anvil's own IPMI client with the credentials the fleet hands out (docs/simulator.md).
@Suite struct FleetBMCsTests {
    @Test func faultsGoToDisjointMachinesInTheRightNumbers() {
        let faults = FleetFaults(packetLoss: 0.02, powerLie: 0.02, slowBMC: 0.02, frozenBMC: 0.02, wrongPassword: 0.02)
        let plan = FleetBMCFaultPlan(count: 1000, faults: faults, seed: 1)
        for kind in FleetBMCFaultPlan.Kind.allCases {
            #expect(plan.kinds.filter { $0 == kind }.count == 20, "\(kind)")
        }
        #expect(plan.kinds.compactMap { $0 }.count == 100)
        #expect(plan == FleetBMCFaultPlan(count: 1000, faults: faults, seed: 1), "the seed decides")
        #expect(plan != FleetBMCFaultPlan(count: 1000, faults: faults, seed: 2))
        // More than the fleet: every machine gets one fault, no index twice.
        let all = FleetBMCFaultPlan(count: 10, faults: FleetFaults(packetLoss: 0.8, frozenBMC: 0.8), seed: 1)
        #expect(all.kinds.filter { $0 == .packetLoss }.count == 8 && all.kinds.filter { $0 == .frozen }.count == 2)
    }

    @Test func everyEndpointAnswersAnvilsClientAndAWrongPasswordIsRefused() async throws {
        let bmcs = try FleetBMCs(count: 3, faults: FleetFaults(wrongPassword: 0.34), seed: 1)
        var endpoints: [SimulatedBMCEndpoint?] = []
        var chassis: [SimulatedChassis] = []
        for index in 0..<3 {
            let one = SimulatedChassis()
            chassis.append(one)
            endpoints.append(try await bmcs.factory(index, one))
        }
        let wrong = try #require(bmcs.plan.kinds.firstIndex(of: .wrongPassword))
        for (index, endpoint) in endpoints.enumerated() {
            let endpoint = try #require(endpoint)
            let client = IPMIClient(endpoint: IPMIEndpoint(host: endpoint.host, port: endpoint.port, user: endpoint.user, password: endpoint.password))
            let backend = IPMIBackend(client: client)
            if index == wrong {
                #expect(endpoint.password == FleetBMCs.wrongPassword)
                let error = await #expect(throws: PowerError.self) { try await backend.powerState() }
                if case .authenticationFailed? = error {} else { Issue.record("expected authenticationFailed, got \(String(describing: error))") }
            } else {
                try await backend.power(.on)
                #expect(chassis[index].isPoweredOn)
            }
            await backend.shutdown()
        }
        let report = FleetBMCReport(totals: bmcs.totals, servers: 3, plan: bmcs.plan)
        #expect(report.sessionsOpened == 2, "the wrong password opens none (the client rejects RAKP 2)")
        #expect(report.commands > 0)
        #expect(report.faults == ["wrong-password": 1])
        await bmcs.stop()
    }
}
