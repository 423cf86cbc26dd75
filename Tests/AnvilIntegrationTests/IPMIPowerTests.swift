import AnvilBus
import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// bmcd against a real BMC (OpenIPMI's ipmi_sim), with ipmitool (`-I lanplus -C 3`) as the
/// oracle: what bmcd sets, ipmitool reads, and the reverse.
@Suite(.serialized) struct IPMIPowerTests {
    static func bmcSpec(_ sim: IPMISimulator, user: String = IPMISimulator.user, pass: String = IPMISimulator.password) -> [String: JSONValue] {
        ["bmc": .object(["endpoint": "127.0.0.1", "port": .int(Int64(sim.port)), "user": .string(user), "pass": .string(pass)])]
    }

    @Test func powerOnOffCycleAndStatusAgreeWithIpmitool() async throws {
        let sim = try await IPMISimulator()
        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer("00000000-0000-4000-8000-000000000001", spec: Self.bmcSpec(sim))

        let first = try await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000001"]).get()
        #expect(first["power"]?.stringValue == "off")
        #expect(first["backend"]?.stringValue == "ipmi")
        #expect(try await sim.oraclePower() == "off")

        _ = try await bmcd.call("power.on", ["server": "00000000-0000-4000-8000-000000000001"]).get()
        #expect(try await sim.oraclePower() == "on", "what bmcd sets, ipmitool reads")
        #expect(try await bmcd.server("00000000-0000-4000-8000-000000000001").status.power == .on)

        // The reverse: ipmitool turns it off, bmcd sees it.
        #expect(try await sim.ipmitool(["chassis", "power", "off"]).status == 0)
        #expect(try await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000001"]).get()["power"]?.stringValue == "off")

        // A cycle while off ends powered on (Sidero #145); ipmi_sim powers back on after its
        // poweroff_wait (2 s), so look until it has.
        _ = try await bmcd.call("power.cycle", ["server": "00000000-0000-4000-8000-000000000001"]).get()
        let deadline = ContinuousClock.now + .seconds(30)
        while try await sim.oraclePower() != "on", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try await sim.oraclePower() == "on")
        _ = try await bmcd.call("power.reset", ["server": "00000000-0000-4000-8000-000000000001"]).get()
        _ = try await bmcd.call("power.off", ["server": "00000000-0000-4000-8000-000000000001"]).get()
        #expect(try await sim.oraclePower() == "off")
        let server = try await bmcd.server("00000000-0000-4000-8000-000000000001")
        #expect(server.status.power == .off)
        #expect(server.status.condition("BMCReady")?.status == "True")
        #expect(sim.chassisCalls.contains("set power 1"))

        // One session served every command.
        let info = try await bmcd.call("bmc.info", ["server": "00000000-0000-4000-8000-000000000001"]).get()
        #expect(info["sessionsEstablished"]?.stringValue == "1", "\(info)")
        #expect(info["cipherSuite"]?.stringValue == "3", "ipmi_sim has no suite 17, so 3 is chosen: \(info)")
        // ipmi_sim leaves its LAN parameters unset: what bmcd reads must match what ipmitool reads.
        let lan = try await sim.ipmitool(["lan", "print", "1"]).stdout
        let oracleAddress = lan.split(separator: "\n").first { $0.hasPrefix("IP Address  ") }?.split(separator: ":").last?
            .trimmingCharacters(in: .whitespaces)
        #expect(info["lanAddress"]?.stringValue == oracleAddress, "\(info) vs \(lan)")

        let port = try TFTPDaemon.field("port", after: "msg=\"http listening\"", in: bmcd.child.stdout)
        let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(port)/metrics").body
        #expect(metrics.contains("anvil_bmc_commands_total{method=\"power.on\",outcome=\"ok\"}"), "\(metrics)")

        // Each command carried out is an event on the Server, in order, naming the back-end (`anvil timeline`).
        let events = try await Self.events(bmcd, "00000000-0000-4000-8000-000000000001") { $0.contains { $0.reason == "PowerOff" } }
        #expect(events.map(\.reason) == ["PowerOn", "PowerCycle", "PowerReset", "PowerOff"], "\(events)")
        #expect(events.map(\.message) == ["on via ipmi", "cycle via ipmi", "reset via ipmi", "off via ipmi"])
        #expect(events.allSatisfy { $0.type == .normal && $0.source.hasPrefix("bmcd") })
        try await bmcd.stop()
    }

    @Test func bootDevicePXESetByBmcdIsReadByIpmitool() async throws {
        let sim = try await IPMISimulator()
        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer("00000000-0000-4000-8000-000000000002", spec: Self.bmcSpec(sim))
        let set = try await bmcd.call("boot.setDevice", ["server": "00000000-0000-4000-8000-000000000002", "device": "pxe", "mode": "uefi"]).get()
        #expect(set["device"]?.stringValue == "pxe")
        let oracle = try await sim.ipmitool(["chassis", "bootparam", "get", "5"])
        #expect(oracle.stdout.contains("Force PXE"), "\(oracle.stdout)")
        #expect(sim.chassisCalls.contains("set boot pxe"))

        // The reverse: ipmitool sets disk, the chassis program sees what bmcd would read.
        #expect(try await sim.ipmitool(["chassis", "bootdev", "disk"]).status == 0)
        let read = try await bmcd.call("boot.getDevice", ["server": "00000000-0000-4000-8000-000000000002"]).get()
        #expect(read["device"]?.stringValue == "disk", "\(read)")
        let events = try await Self.events(bmcd, "00000000-0000-4000-8000-000000000002") { !$0.isEmpty }
        #expect(events.map(\.reason) == ["BootDeviceSet"])
        #expect(events.first?.message == "next boot from pxe (uefi, once) via ipmi")
        try await bmcd.stop()
    }

    /// The Server's events once `done` holds (bmcd writes events in batches), at most 5 s.
    static func events(_ bmcd: BMCDaemon, _ server: String, until done: ([AnvilStore.Event]) -> Bool) async throws -> [AnvilStore.Event] {
        var events: [AnvilStore.Event] = []
        for _ in 0..<50 {
            events = try await bmcd.store.events(kind: "Server", name: server)
            if done(events) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return events
    }

    @Test func enrolsAUserThatCanLogIn() async throws {
        let sim = try await IPMISimulator()
        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer("00000000-0000-4000-8000-000000000003", spec: Self.bmcSpec(sim))
        let result = try await bmcd.call("bmc.setupUser", ["server": "00000000-0000-4000-8000-000000000003", "user": "anvil", "password": "an-Vil-8899"]).get()
        #expect(result["verified"]?.boolValue == true)
        #expect(result["secret"]?.stringValue == "default/00000000-0000-4000-8000-000000000003-bmc")

        // ipmitool logs in as the new user.
        let login = try await sim.ipmitool(["chassis", "power", "status"], user: "anvil", password: "an-Vil-8899")
        #expect(login.status == 0, "\(login.stderr)")
        // The Server now takes its credentials from the Secret, and bmcd uses them.
        let server = try await bmcd.server("00000000-0000-4000-8000-000000000003")
        #expect(server.spec.bmc?.userFrom?.secretKeyRef?.name == "00000000-0000-4000-8000-000000000003-bmc")
        #expect(server.spec.bmc?.user == nil)
        let status = try await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000003"]).get()
        #expect(status["power"]?.stringValue == "off")
        let users = try await sim.ipmitool(["user", "list", "1"])
        #expect(users.stdout.contains("anvil"), "\(users.stdout)")
        try await bmcd.stop()
    }

    @Test func wrongPasswordIsAClearAuthenticationError() async throws {
        let sim = try await IPMISimulator()
        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer("00000000-0000-4000-8000-000000000004", spec: Self.bmcSpec(sim, pass: "not-the-password"))
        let result = await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000004"])
        guard case .failure(let error) = result else { Issue.record("a wrong password must fail"); return }
        #expect(error.data?["reason"]?.stringValue == "AuthenticationFailed", "\(error)")
        #expect(error.message.contains("wrong password"), "\(error.message)")
        let server = try await bmcd.server("00000000-0000-4000-8000-000000000004")
        #expect(server.status.power == .unknown)
        #expect(server.status.condition("BMCReady")?.status == "False")
        #expect(server.status.condition("BMCReady")?.reason == "AuthenticationFailed")

        try await bmcd.applyServer("00000000-0000-4000-8000-000000000005", spec: Self.bmcSpec(sim, user: "nobody"))
        let unknown = await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000005"])
        guard case .failure(let other) = unknown else { Issue.record("an unknown user must fail"); return }
        #expect(other.data?["reason"]?.stringValue == "AuthenticationFailed", "\(other)")
        try await bmcd.stop()
    }

    @Test func nothingListeningFailsInBoundedTimeWithAClearError() async throws {
        let port = try UDPTestSocket.freeUDPPort()
        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer("00000000-0000-4000-8000-000000000006", spec: [
            "bmc": .object(["endpoint": "127.0.0.1", "port": .int(Int64(port)), "user": "admin", "pass": "password"]),
        ])
        let started = ContinuousClock.now
        let result = await bmcd.call("power.on", ["server": "00000000-0000-4000-8000-000000000006"])
        let took = ContinuousClock.now - started
        guard case .failure(let error) = result else { Issue.record("nothing listens there"); return }
        #expect(error.data?["reason"]?.stringValue == "Unreachable", "\(error)")
        #expect(error.message.contains("127.0.0.1:\(port)"), "\(error.message)")
        #expect(took < .seconds(30), "bounded by the retry policy, took \(took)")
        #expect(try await bmcd.server("00000000-0000-4000-8000-000000000006").status.condition("BMCReady")?.reason == "Unreachable")

        let missing = await bmcd.call("power.on", ["server": "no-such-server"])
        guard case .failure(let notFound) = missing else { Issue.record("unknown server"); return }
        #expect(notFound.message == "server no-such-server not found")
        let noBMC = await bmcd.call("power.on", [:])
        guard case .failure(let invalid) = noBMC else { Issue.record("missing params"); return }
        #expect(invalid.code == BusError.invalidParamsCode)
        try await bmcd.stop()
    }

    @Test func recoversByItselfWhenTheBMCRestarts() async throws {
        let sim = try await IPMISimulator()
        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer("00000000-0000-4000-8000-000000000007", spec: Self.bmcSpec(sim))
        _ = try await bmcd.call("power.on", ["server": "00000000-0000-4000-8000-000000000007"]).get()

        try await sim.kill()
        let down = await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000007"])
        guard case .failure(let error) = down else { Issue.record("the BMC is down"); return }
        #expect(error.data?["reason"]?.stringValue == "Unreachable", "\(error)")

        try await sim.start()
        // The old session died with the BMC: bmcd opens a new one on its own.
        let up = try await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000007"]).get()
        #expect(up["power"]?.stringValue == "on", "power state lives in the chassis files, which survived: \(up)")
        let info = try await bmcd.call("bmc.info", ["server": "00000000-0000-4000-8000-000000000007"]).get()
        #expect(Int(info["sessionsEstablished"]?.stringValue ?? "0") ?? 0 >= 2)
        #expect(try await bmcd.server("00000000-0000-4000-8000-000000000007").status.condition("BMCReady")?.status == "True")
        try await bmcd.stop()
    }

    @Test func credentialsComeFromSecrets() async throws {
        let sim = try await IPMISimulator()
        let bmcd = try await BMCDaemon()
        let secret = Secret(metadata: ObjectMeta(name: "bmc-creds", namespace: "default"), values: ["u": Data("admin".utf8), "p": Data("password".utf8)])
        _ = try await bmcd.store.seed(try ResourceValidator.validate(secret.resource))
        try await bmcd.applyServer("00000000-0000-4000-8000-000000000008", spec: [
            "bmc": .object([
                "endpoint": "127.0.0.1", "port": .int(Int64(sim.port)),
                "userFrom": .object(["secretKeyRef": .object(["name": "bmc-creds", "key": "u"])]),
                "passFrom": .object(["secretKeyRef": .object(["name": "bmc-creds", "key": "p"])]),
            ]),
        ])
        #expect(try await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000008"]).get()["power"]?.stringValue == "off")

        try await bmcd.applyServer("00000000-0000-4000-8000-000000000009", spec: [
            "bmc": .object([
                "endpoint": "127.0.0.1", "port": .int(Int64(sim.port)), "user": "admin",
                "passFrom": .object(["secretKeyRef": .object(["name": "missing", "key": "p"])]),
            ]),
        ])
        let result = await bmcd.call("power.status", ["server": "00000000-0000-4000-8000-000000000009"])
        guard case .failure(let error) = result else { Issue.record("the secret is missing"); return }
        #expect(error.data?["reason"]?.stringValue == "InvalidConfiguration")
        #expect(error.message.contains("secret default/missing not found"), "\(error.message)")
        try await bmcd.stop()
    }
}
