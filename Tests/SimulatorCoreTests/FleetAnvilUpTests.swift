import AnvilJSON
import AnvilStore
import Foundation
import SimulatorCore
import Testing

/// The fleet against the real suite: `anvil up` (built beside this test bundle) on loopback ports,
/// three simulated servers created accepted, powered on by the simulator, wiped through bootd
/// and metadatad with machine tokens and the MAC check on (docs/simulator.md).
@Suite(.serialized) struct FleetAnvilUpTests {
    @Test(.timeLimit(.minutes(3))) func threeCreatedAcceptedServersAreWipedThroughTheRealDaemons() async throws {
        let state = URL(fileURLWithPath: "/tmp/anvil-sim-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let offset = Int.random(in: 5000...9999)
        let up = try FleetTestProcess(
            FleetTestProcess.builtProduct("anvil"), ["up", "--port-offset", "\(offset)"],
            environment: ["ANVIL_STATE": state.path, "ANVIL_INSECURE_WIPE": "true"], output: state.appendingPathComponent("up.log"))
        defer { up.stop() }
        #expect(await up.waitForOutput("daemons running", timeout: .seconds(90)), "anvil up started: \(up.output.suffix(2000))")

        let lines = MachineTestLog()
        let fleet = try await Fleet(
            configuration: FleetConfiguration(
                servers: 3, seed: 11, bootd: "http://127.0.0.1:\(8081 + offset)",
                timings: MachineTimings(wipe: .seconds(1), retry: .milliseconds(500))),
            bmc: { index, _ in SimulatedBMCEndpoint(host: "127.78.9.\(index + 1)", port: 623, user: "admin", password: "password") },
            log: lines.sink)
        let created = try await ServerCreation.create(
            machines: zip(fleet.machines, fleet.bmcs).map { ($0.identity, $1) }, stateDirectory: state, accepted: true)
        #expect(created.created.count == 3)
        fleet.start()
        fleet.powerOnAll()
        let reached = await fleet.wait(until: .milestone(.wiped), timeout: .seconds(60), every: .milliseconds(100))
        let report = fleet.report()
        await fleet.stop()
        #expect(reached, "\(report.statusLine)\n\(lines.all.suffix(40).joined(separator: "\n"))")
        #expect(report.httpFailures == 0, "\(lines.all.filter { $0.contains("failed") }.prefix(10))")

        let store = try await Store.open(stateDirectory: state)
        for machine in fleet.machines {
            let server = try #require(try await store.find(kind: "Server", namespace: "", name: machine.identity.uuid))
            #expect(server.status?["isClean"] == .bool(true), "\(machine.identity.name) clean")
            #expect(server.spec?["hardware"]?["system"]?["serialNumber"] == .string(machine.identity.serial))
            #expect(server.status?["addresses"]?.arrayValue?.contains { $0["address"] == .string(machine.identity.address) } == true)
        }
    }
}
