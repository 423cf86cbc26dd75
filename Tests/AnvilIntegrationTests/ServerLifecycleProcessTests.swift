import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The Server lifecycle with real processes: the reconciler drives bmcd over the bus, the agent's
/// reports arrive through metadatad's agent API, the operator uses the `anvil` CLI. Power is
/// bmcd's `--fake-power` (it records every call) or a real BMC (ipmi_sim, read back with ipmitool).
@Suite(.serialized) struct ServerLifecycleProcessTests {
    static let uuid = "4c4c4544-0000-2000-8000-000000000042"

    /// bmcd, metadatad and the reconciler on one state directory.
    final class Suite: Sendable {
        let bmcd: BMCDaemon
        let metadata: HTTPDaemon
        let reconciler: ReconcilerDaemon
        let anvil: AnvilCLI

        init(bmcdArguments: [String], reconcilerArguments: [String]) async throws {
            bmcd = try await BMCDaemon(extraArguments: bmcdArguments)
            metadata = try await HTTPDaemon("metadatad", state: bmcd.state, extraArguments: ["--machine-tokens", "false"])
            reconciler = try await ReconcilerDaemon(
                state: bmcd.state, defaultEnvironmentURL: "file:///nonexistent", extraArguments: reconcilerArguments)
            anvil = AnvilCLI(state: bmcd.state)
        }

        func server() async throws -> Server { try await bmcd.server(ServerLifecycleProcessTests.uuid) }

        /// What the fake BMC was asked, since the last clear.
        func calls(clear: Bool = false) async throws -> [String] {
            let machine = try await bmcd.client.call("fake.get", params: ["server": .string(ServerLifecycleProcessTests.uuid)])
            if clear { _ = try await bmcd.client.call("fake.set", params: ["server": .string(ServerLifecycleProcessTests.uuid), "clearCalls": true]) }
            return machine["calls"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }

        func fake(_ settings: [String: JSONValue]) async throws {
            var params = settings
            params["server"] = .string(ServerLifecycleProcessTests.uuid)
            _ = try await bmcd.client.call("fake.set", params: .object(params))
        }

        func agent(_ operation: String) async throws {
            var request = URLRequest(url: URL(string: "\(metadata.baseURL)/api/v1/servers/\(ServerLifecycleProcessTests.uuid)/\(operation)")!)
            request.httpMethod = "POST"
            request.httpBody = Data("{}".utf8)
            let (_, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "agent \(operation)")
        }

        func waitFor(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
            let deadline = ContinuousClock.now + timeout
            while !(try await condition()) {
                guard ContinuousClock.now < deadline else {
                    throw TestFailure("\(what) did not happen within \(timeout); server: \(String(describing: try? await server()))\nreconciler:\n\(reconciler.child.stdout.suffix(4000))")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        /// The STATE column of `anvil get servers` (the one before AGE).
        func state() async throws -> String {
            let table = try await anvil.ok("get", "servers")
            let lines = table.split(separator: "\n")
            guard lines.count > 1 else { return "" }
            let cells = lines[1].split(separator: " ")
            guard cells.count >= 2 else { return "" }
            return String(cells[cells.count - 2])
        }

        func stop() async throws {
            _ = try await reconciler.stop()
            try await metadata.stop()
            try await bmcd.stop()
        }
    }

    static func serverManifest(accepted: Bool, bmc: String = "") -> String {
        """
        apiVersion: metal.sidero.dev/v1alpha2
        kind: Server
        metadata:
          name: \(uuid)
        spec:
          accepted: \(accepted)
        \(bmc)
        """
    }

    static func bind(_ store: Store) async throws {
        _ = try await store.seed(ServerBinding(
            metadata: ObjectMeta(name: uuid),
            spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m1"))).resource)
    }

    @Test func everyTransitionAgainstTheFakePowerBackEnd() async throws {
        let suite = try await Suite(
            bmcdArguments: ["--fake-power"],
            reconcilerArguments: ["--server-reboot-timeout", "6s", "--power-check-period", "2s", "--lifecycle-attempts", "3", "--power-retry-delay", "1s"])

        // Not accepted: never powered.
        _ = try await suite.anvil.ok("apply", "-f", "-", stdin: Self.serverManifest(accepted: false))
        try await suite.waitFor("the finalizer") { try await suite.server().metadata.finalizers?.isEmpty == false }
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await suite.calls().isEmpty)
        #expect(try await suite.state() == "discovered")

        // Accepted, dirty, unbound: PXE once, then on (it was off).
        #expect(try await suite.anvil.ok("accept", Self.uuid) == "server/\(Self.uuid) accepted\n")
        try await suite.waitFor("the wipe's power-on") { try await suite.calls().contains("power on") }
        #expect(try await suite.calls(clear: true) == ["boot pxe uefi", "status", "power on"])
        #expect(try await suite.server().status.condition(Server.conditionPowerCycle)?.status == "False")
        #expect(try await suite.state() == "wiping")

        // No heartbeat for the reboot timeout (6 s: heartbeats a second apart hold it off even on a
        // loaded machine): retried. Heartbeats hold it off.
        try await suite.waitFor("the retried wipe", timeout: .seconds(30)) { try await suite.calls().contains("power cycle") }
        #expect(try await suite.calls(clear: true) == ["boot pxe uefi", "status", "power cycle"])
        for _ in 0..<5 {
            try await suite.agent("heartbeat")
            try await Task.sleep(for: .seconds(1))
        }
        #expect(try await suite.calls().filter { $0.hasPrefix("power") }.isEmpty, "heartbeats every second hold the retry off")

        // Wiped: clean and unallocated → powered off, ready, available.
        try await suite.agent("wiped")
        try await suite.waitFor("the power-off") { try await suite.calls().contains("power off") }
        try await suite.waitFor("ready") { try await suite.server().status.ready }
        #expect(try await suite.state() == "available")
        _ = try await suite.calls(clear: true)

        // Bound (the MetalMachine controller's binding): PXE once and on; in use, dirty.
        try await Self.bind(suite.bmcd.store)
        try await suite.waitFor("the install's power-on") { try await suite.calls().contains("power on") }
        let installCalls = try await suite.calls(clear: true)
        #expect(installCalls.firstIndex(of: "boot pxe uefi").map { $0 < installCalls.firstIndex(of: "power on")! } == true, "\(installCalls)")
        try await suite.waitFor("in use") { try await suite.server().status.inUse }
        #expect(try await suite.server().status.isClean == false)

        // A BMC that says "off" while on is corrected by the recheck (every 2 s here).
        try await suite.fake(["poweredOn": false])
        try await suite.waitFor("the recheck's power-on", timeout: .seconds(15)) { try await suite.calls().contains("power on") }
        _ = try await suite.calls(clear: true)

        // Released: not in use, dirty again → wiped (it is on: cycled) → off.
        _ = try await suite.bmcd.store.delete(kind: "ServerBinding", name: Self.uuid)
        try await suite.waitFor("the release's wipe") { try await suite.calls().contains("power cycle") }
        #expect(try await suite.server().status.inUse == false)
        try await suite.agent("wiped")
        try await suite.waitFor("available again") { try await suite.state() == "available" }

        // A BMC failing every command: three failures in a row, then it stops, with a reason.
        _ = try await suite.calls(clear: true)
        try await suite.fake(["fail": "Unreachable"])
        try await suite.agent("heartbeat")  // any write: the server is reconciled
        _ = try await suite.bmcd.store.mutate(kind: "Server", name: Self.uuid) { resource in
            var server = try Server(resource)
            server.status.isClean = false
            resource = server.resource
        }
        try await suite.waitFor("the stall", timeout: .seconds(30)) { try await suite.state() == "stalled" }
        let stall = try await suite.server().status.condition(Server.conditionStalled)
        #expect(stall?.reason == "PowerCommandFailed")
        let described = try await suite.anvil.ok("describe", "server", Self.uuid)
        #expect(described.contains("PowerCommandFailed"))
        // The whole story in one command, each power command once, recorded by bmcd.
        let timeline = try await suite.anvil.ok("timeline", Self.uuid, "-o", "json")
        let steps = try #require((try JSONSerialization.jsonObject(with: Data(timeline.utf8)) as? [String: Any])?["steps"] as? [[String: Any]])
        let reasons = steps.compactMap { $0["reason"] as? String }
        for reason in ["BootDeviceSet", "PowerOn", "PowerCycle", "PowerOff", "Wiped", "PowerCommandFailed"] {
            #expect(reasons.contains(reason), "\(reason) in \(reasons)")
        }
        #expect(reasons.firstIndex(of: "BootDeviceSet")! < reasons.firstIndex(of: "PowerOn")!)
        let power = steps.filter { ["PowerOn", "PowerOff", "PowerCycle", "BootDeviceSet"].contains($0["reason"] as? String ?? "") }
        #expect(power.allSatisfy { ($0["source"] as? String)?.hasPrefix("bmcd") == true }, "one place only: \(power)")
        let table = try await suite.anvil.ok("timeline", Self.uuid)
        #expect(table.hasPrefix("TIME ") && table.contains("via fake"), "\(table)")
        let attemptsAtStall = try await suite.calls().count
        try await Task.sleep(for: .seconds(2))
        #expect(try await suite.calls().count == attemptsAtStall, "stalled: no more commands")
        // `anvil accept` retries once the BMC works again.
        try await suite.fake(["fail": .null])
        #expect(try await suite.anvil.ok("accept", Self.uuid).contains("retrying"))
        try await suite.waitFor("the retried wipe") { try await suite.state() == "wiping" }

        // A bound Server cannot be deleted until it is released; then it goes.
        try await Self.bind(suite.bmcd.store)
        try await suite.waitFor("in use") { try await suite.server().status.inUse }
        #expect(try await suite.anvil.ok("delete", "server", Self.uuid).contains("marked for deletion"))
        try await Task.sleep(for: .seconds(1))
        #expect(try await suite.bmcd.store.find(kind: "Server", name: Self.uuid) != nil, "held while bound")
        _ = try await suite.bmcd.store.delete(kind: "ServerBinding", name: Self.uuid)
        try await suite.waitFor("deleted once released") { try await suite.bmcd.store.find(kind: "Server", name: Self.uuid) == nil }
        try await suite.stop()
    }

    /// README's walk-through: discovered → accepted → wiped → available → allocated (by a
    /// MetalMachine of class `any`) → released (the machine deleted) → wiped → available → allocated again.
    @Test func aServerGoesRoundTheLifecycleThroughMetalMachines() async throws {
        let suite = try await Suite(bmcdArguments: ["--fake-power"], reconcilerArguments: ["--server-reboot-timeout", "1m"])
        _ = try await suite.anvil.ok("apply", "-f", "-", stdin: Self.serverManifest(accepted: false))
        try await suite.waitFor("discovered") { try await suite.state() == "discovered" }
        _ = try await suite.anvil.ok("accept", Self.uuid)
        try await suite.waitFor("wiping") { try await suite.state() == "wiping" }
        try await suite.agent("wiped")
        try await suite.waitFor("available") { try await suite.state() == "available" }
        try await suite.waitFor("listed in class any") {
            try await suite.anvil.ok("get", "sc", "any", "-o", "wide").contains(Self.uuid)
        }
        let machine = { (name: String) in
            "apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3\nkind: MetalMachine\nmetadata:\n  name: \(name)\n  namespace: default\nspec:\n  serverClassRef:\n    name: any\n"
        }
        _ = try await suite.anvil.ok("apply", "-f", "-", stdin: machine("worker-0"))
        try await suite.waitFor("allocated") { ["allocated", "installing"].contains(try await suite.state()) }
        let bound = try MetalMachine(try await suite.bmcd.store.get(kind: "MetalMachine", namespace: "default", name: "worker-0"))
        #expect(bound.spec.serverRef?.name == Self.uuid)
        #expect(bound.spec.providerID == "sidero://\(Self.uuid)")
        // Released: dirty, wiped again, powered off, then allocatable again.
        _ = try await suite.anvil.ok("delete", "metalmachine", "worker-0", "-n", "default")
        try await suite.waitFor("the machine gone") {
            try await suite.bmcd.store.find(kind: "MetalMachine", namespace: "default", name: "worker-0") == nil
        }
        try await suite.waitFor("wiping after release") { try await suite.state() == "wiping" }
        _ = try await suite.calls(clear: true)
        try await suite.agent("wiped")
        try await suite.waitFor("available again") { try await suite.state() == "available" }
        #expect(try await suite.calls().contains("power off"))
        _ = try await suite.anvil.ok("apply", "-f", "-", stdin: machine("worker-1"))
        try await suite.waitFor("allocated again") {
            try MetalMachine(try await suite.bmcd.store.get(kind: "MetalMachine", namespace: "default", name: "worker-1")).spec.serverRef?.name == Self.uuid
        }
        // Events are written on their own path, after the state they tell of: wait for it.
        var described = ""
        try await suite.waitFor("the release among the server's events") {
            described = try await suite.anvil.ok("describe", "server", Self.uuid)
            return described.contains("Unallocated")
        }
        #expect(described.contains("Unallocated"), "the release is among the server's events: \(described)")
        try await suite.stop()
    }

    @Test func theMainPathAgainstARealBMC() async throws {
        let sim = try await IPMISimulator()
        let suite = try await Suite(bmcdArguments: [], reconcilerArguments: ["--server-reboot-timeout", "1m"])
        let bmc = "  bmc:\n    endpoint: 127.0.0.1\n    port: \(sim.port)\n    user: admin\n    pass: password"
        _ = try await suite.anvil.ok("apply", "-f", "-", stdin: Self.serverManifest(accepted: true, bmc: bmc))
        // Accepted and dirty: the BMC is told PXE once and powered on, as ipmitool reads it.
        try await suite.waitFor("power on at the BMC") { try await sim.oraclePower() == "on" }
        let boot = try await sim.ipmitool(["chassis", "bootparam", "get", "5"])
        #expect(boot.stdout.contains("Force PXE"), "boot flags: \(boot.stdout)")
        // The agent reports the wipe: powered off.
        try await suite.agent("wiped")
        try await suite.waitFor("power off at the BMC") { try await sim.oraclePower() == "off" }
        try await suite.waitFor("available") { try await suite.state() == "available" }
        try await suite.stop()
    }
}
