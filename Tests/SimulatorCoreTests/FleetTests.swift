import AnvilJSON
import AnvilStore
import Foundation
import SimulatorCore
import Testing

@Suite(.serialized) struct FleetTests {
    static let noBMC: BMCEndpointFactory = { _, _ in nil }

    @Test func identitiesAreDeterministicAndDistinct() {
        let first = (0..<300).map { FleetIdentities.identity(index: $0, seed: 7) }
        let again = (0..<300).map { FleetIdentities.identity(index: $0, seed: 7) }
        #expect(first == again)
        #expect(Set(first.map(\.uuid)).count == 300)
        #expect(Set(first.map(\.address)).count == 300)
        #expect(Set(first.flatMap(\.macs)).count == first.flatMap(\.macs).count)
        #expect(first[0].address == "127.77.0.1" && first[250].address == "127.77.1.1")
        #expect(first.allSatisfy { (1...2).contains($0.macs.count) && (1...2).contains($0.diskSizes.count) })
        #expect(FleetIdentities.identity(index: 0, seed: 8).uuid != first[0].uuid)
        let uuid = first[0].uuid
        #expect(uuid.count == 36 && Array(uuid)[14] == "4")
    }

    @Test func faultFractionsPickThatManyMachines() async throws {
        let faults = FleetFaults(agentDies: 0.2, duplicateUUID: 0.1, changingMAC: 0.5)
        let fleet = try await Fleet(configuration: FleetConfiguration(servers: 20, seed: 3, faults: faults), bmc: Self.noBMC) { _ in }
        #expect(fleet.machines.filter(\.faults.agentDiesMidWipe).count == 4)
        #expect(fleet.machines.filter(\.faults.changingMAC).count == 10)
        let duplicates = fleet.machines.filter { $0.faults.duplicateUUID != nil }
        #expect(duplicates.count == 2)
        for machine in duplicates {
            #expect(fleet.machines.contains { $0.identity.uuid == machine.faults.duplicateUUID && $0 !== machine })
        }
        // The machines whose UUID is copied are not healthy either: Anvil sees two servers as one.
        let copied = Set(duplicates.compactMap(\.faults.duplicateUUID))
        #expect(fleet.healthy.count == fleet.machines.filter { $0.faults.isHealthy && !copied.contains($0.identity.uuid) }.count)
        #expect(fleet.healthy.allSatisfy { !copied.contains($0.identity.uuid) })
        #expect(FleetFaults(agentDies: 1.5).problem == "--fault-agent-dies must be a fraction between 0 and 1, got 1.5")
        await fleet.stop()
    }

    @Test func targetsParseAndUnknownOnesAreRefused() {
        #expect(FleetTarget("wiped-off") == .wipedOff)
        #expect(FleetTarget("installed") == .milestone(.installed))
        #expect(FleetTarget("running-from-disk") == .phase(.runningFromDisk))
        #expect(FleetTarget("nonsense") == nil)
        #expect(FleetTarget.names.contains("agent-dead"))
    }

    @Test func aFleetRunsToTheDiskAndReportsPerPhase() async throws {
        let anvil = MachineTestAnvil()
        try await anvil.start()
        defer { anvil.stop() }
        let chassisSeen = MachineTestLog()
        let fleet = try await Fleet(
            configuration: FleetConfiguration(servers: 3, seed: 5, bootd: anvil.bootd, timings: .fast()),
            bmc: { index, chassis in
                chassisSeen.sink("\(index) \(chassis.isPoweredOn)")
                return SimulatedBMCEndpoint(host: "127.78.0.\(index + 1)", port: 623, user: "admin", password: "pw\(index)")
            }, log: { _ in })
        #expect(chassisSeen.all == ["0 false", "1 false", "2 false"])
        fleet.start()
        #expect(fleet.report().phases == ["off": 3])
        fleet.powerOnAll()
        #expect(await fleet.wait(until: .phase(.runningFromDisk), timeout: .seconds(20), every: .milliseconds(20)))
        let report = fleet.report()
        await fleet.stop()
        #expect(report.phases == ["running-from-disk": 3])
        #expect(report.milestones["installed"] == 3)
        #expect(report.secondsInPhase["wiping"]?.count == 3)
        #expect(report.httpCalls == anvil.requests.count)
        #expect(report.boots == 9)
        #expect(report.statusLine.contains("running-from-disk=3"))
        let decoded = try JSONDecoder().decode(FleetReport.self, from: try report.json())
        #expect(decoded == report)
        #expect(Set(anvil.requests.filter { $0.path.hasSuffix("/bmc") }.map(\.body)).count == 3)
    }

    @Test func createServersWritesServersWithTheirBMCAndSecret() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-sim-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: state) }
        let identities = (0..<2).map { FleetIdentities.identity(index: $0, seed: 9) }
        let bmc = SimulatedBMCEndpoint(host: "127.78.0.1", port: 6230, user: "admin", password: "secret")
        let outcome = try await ServerCreation.create(
            machines: [(identities[0], bmc), (identities[1], nil)], stateDirectory: state, accepted: true,
            runDirectory: state.appendingPathComponent("run"))
        #expect(outcome.created == identities.map(\.uuid))
        let again = try await ServerCreation.create(
            machines: [(identities[0], bmc)], stateDirectory: state, accepted: true, runDirectory: state.appendingPathComponent("run"))
        #expect(again.existing == [identities[0].uuid])
        let store = try await Store.open(stateDirectory: state)
        let server = try #require(try await store.find(kind: "Server", namespace: "", name: identities[0].uuid))
        #expect(server.spec?["accepted"] == .bool(true))
        #expect(server.spec?["bmc"]?["endpoint"] == .string("127.78.0.1"))
        #expect(server.spec?["bmc"]?["port"] == .int(6230))
        #expect(server.spec?["bmc"]?["pass"] == nil)
        #expect(try await store.find(kind: "Secret", namespace: "default", name: "\(identities[0].uuid)-bmc") != nil)
        #expect(try await store.find(kind: "Server", namespace: "", name: identities[1].uuid)?.spec?["bmc"] == nil)
    }
}
