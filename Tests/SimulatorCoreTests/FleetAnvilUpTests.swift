import AnvilJSON
import Crypto
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
        defer { up.kill() }
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
        await up.stop()
    }

    /// The whole install path: a target Environment with file:// assets, a class of the simulated
    /// servers, a template scaled to two: bootd serves the target, the simulated installer fetches
    /// its config with the machine token and reports installed, and the next boot is from disk.
    @Test(.timeLimit(.minutes(3))) func twoAllocatedServersInstallTheTargetAndBootFromDisk() async throws {
        let state = URL(fileURLWithPath: "/tmp/anvil-sim-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let environment = ["ANVIL_STATE": state.path, "ANVIL_INSECURE_WIPE": "true", "ANVIL_MARK_PXEBOOTED": "on-install-report"]
        let offset = Int.random(in: 10000...14999)
        let up = try FleetTestProcess(
            FleetTestProcess.builtProduct("anvil"), ["up", "--port-offset", "\(offset)"], environment: environment,
            output: state.appendingPathComponent("up.log"))
        defer { up.kill() }
        #expect(await up.waitForOutput("daemons running", timeout: .seconds(90)), "anvil up started: \(up.output.suffix(2000))")
        let manifest = try Self.targetManifests(in: state)
        let applied = try await FleetTestProcess.run(FleetTestProcess.builtProduct("anvil"), ["apply", "-f", manifest], environment: environment, in: state)
        #expect(applied.status == 0, "\(applied.output)")

        let lines = MachineTestLog()
        let fleet = try await Fleet(
            configuration: FleetConfiguration(
                servers: 3, seed: 12, bootd: "http://127.0.0.1:\(8081 + offset)",
                timings: MachineTimings(wipe: .milliseconds(500), retry: .milliseconds(500), agentDone: .milliseconds(500)),
                fetchBootScript: true),
            bmc: { _, _ in nil }, log: lines.sink)
        _ = try await ServerCreation.create(machines: fleet.machines.map { ($0.identity, nil) }, stateDirectory: state, accepted: true)
        fleet.start()
        fleet.powerOnAll()
        #expect(await fleet.wait(until: .milestone(.wiped), timeout: .seconds(60), every: .milliseconds(100)), "\(fleet.report().statusLine)")
        let scaled = try await FleetTestProcess.run(
            FleetTestProcess.builtProduct("anvil"), ["scale", "mmt", "sim", "--replicas", "2", "--bootstrap-secret", "sim-bootstrap"],
            environment: environment, in: state)
        #expect(scaled.status == 0, "\(scaled.output)")
        // Unallocated clean servers keep rebooting into the agent (no BMC powers them off), so
        // the two bound ones boot the target on their next round.
        let installed = await eventually(60) { fleet.machines.filter { $0.record.phase == .runningFromDisk }.count == 2 }
        #expect(installed, "\(fleet.report().statusLine)\n\(lines.all.suffix(30).joined(separator: "\n"))")
        let report = fleet.report()
        #expect(report.milestones["installed"] == 2)
        #expect(report.httpFailures == 0, "\(lines.all.filter { $0.contains("failed") || $0.contains("HTTP") }.prefix(10))")
        #expect(lines.all.contains { $0.contains("install: config fetched") })
        await fleet.stop()
        await up.stop()
    }

    /// The target Environment (random bytes as kernel and initrd, verified by their sha512), the
    /// class every simulated server fits, the bootstrap Secret and the template.
    static func targetManifests(in directory: URL) throws -> String {
        var sums: [String: String] = [:]
        for (name, size) in [("vmlinuz", 4096), ("initramfs.xz", 8192)] {
            let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255) })
            try bytes.write(to: directory.appendingPathComponent(name))
            sums[name] = SHA512.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        }
        let text = """
        apiVersion: metal.sidero.dev/v1alpha2
        kind: Environment
        metadata:
          name: sim-target
        spec:
          kernel:
            url: file://\(directory.path)/vmlinuz
            sha512: \(sums["vmlinuz"]!)
            args: [console=ttyS0]
          initrd:
            url: file://\(directory.path)/initramfs.xz
            sha512: \(sums["initramfs.xz"]!)
        ---
        apiVersion: metal.sidero.dev/v1alpha2
        kind: ServerClass
        metadata:
          name: sim
        spec:
          environmentRef:
            name: sim-target
          qualifiers:
            hardware:
              - system:
                  manufacturer: AnvilSim
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: sim-bootstrap
        stringData:
          value: |
            version: v1alpha1
            machine:
              type: worker
        ---
        apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
        kind: MetalMachineTemplate
        metadata:
          name: sim
        spec:
          template:
            spec:
              serverClassRef:
                apiVersion: metal.sidero.dev/v1alpha2
                kind: ServerClass
                name: sim
        """
        let file = directory.appendingPathComponent("cluster.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
