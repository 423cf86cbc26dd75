import AnvilResources
import AnvilStore
import Foundation
import Testing

/// In-band BMC set-up for real (docs/agent.md "BMC"): the VM's KCS interface is backed by OpenIPMI's
/// `ipmi_sim` (QEMU `ipmi-bmc-extern` over a socket), whose LAN side listens on port 623 of its own
/// loopback address. The agent reads that address in band, creates user `sidero`, reports it;
/// then ipmitool on the host sees the user and `anvil power status` logs in with it.
@Suite struct AgentInBandBMCTests {
    /// ipmi_sim with a LAN channel on `address`:623 and a KCS system interface on 127.0.0.1:`kcsPort`.
    static func configuration(address: String, kcsPort: Int) -> String {
        IPMISimulator.lanConfiguration(address: address, port: 623, control: """
              serial kcs 127.0.0.1 \(kcsPort) codec VM
              startnow false
            """)
    }

    static func ipmitool(_ address: String, _ arguments: [String], user: String = "admin", password: String = "password") async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            URL(fileURLWithPath: try Peer.path("ipmitool")),
            ["-I", "lanplus", "-H", address, "-p", "623", "-U", user, "-P", password, "-C", "3", "-N", "1", "-R", "3"] + arguments,
            timeout: .seconds(30))
    }

    @Test func theAgentCreatesUserSideroInBandAndAnvilPowersWithIt() async throws {
        let simulator = try Peer.path("ipmi_sim")
        let bmcDirectory = try TemporaryDirectory()
        let address = "127.0.\(Int.random(in: 2...250)).\(Int.random(in: 2...250))"
        let kcsPort = try HTTPDaemon.freeTCPPort()  // ipmi_sim listens on TCP there for QEMU's chardev
        _ = try bmcDirectory.file("lan.conf", contents: Self.configuration(address: address, kcsPort: kcsPort))
        _ = try bmcDirectory.file("sim.emu", contents: IPMISimulator.emulatorCommands)
        try FileManager.default.createDirectory(atPath: bmcDirectory.path + "/state", withIntermediateDirectories: true)
        let bmc = try ChildProcess(
            URL(fileURLWithPath: simulator), ["-n", "-c", bmcDirectory.path + "/lan.conf", "-f", bmcDirectory.path + "/sim.emu", "-s", bmcDirectory.path + "/state"])
        defer { if bmc.isRunning { bmc.signal(SIGKILL) } }
        var answered = false
        for _ in 0..<100 where !answered {
            answered = (try? await Self.ipmitool(address, ["mc", "info"]))?.status == 0
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(answered, "ipmi_sim on \(address):623 did not answer: \(bmc.stderr)")
        // ipmi_sim answers LAN parameter 3 with 0.0.0.0 until it is set (the agent would report no address).
        #expect(try await Self.ipmitool(address, ["lan", "set", "1", "ipaddr", address]).status == 0)

        let state = try TemporaryDirectory()
        let offset = Int.random(in: 19000...22999)
        let up = try await AgentQEMUTests.startAnvil(
            state: state, offset: offset, ["ANVIL_AUTO_ACCEPT_SERVERS": "true", "ANVIL_AUTO_BMC_SETUP": "true", "ANVIL_INSECURE_WIPE": "true"])
        defer { if up.isRunning { up.signal(SIGKILL) } }
        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        let disk = try DiskImage.random(at: state.path + "/disk.img", mebibytes: 8)
        let serial = try await AgentQEMUTests.boot(bootPort: 8081 + offset, disks: [(disk, "DISK-I")], extra: [
            "-chardev", "socket,id=ipmi0,host=127.0.0.1,port=\(kcsPort),reconnect=10",
            "-device", "ipmi-bmc-extern,chardev=ipmi0,id=bmc0", "-device", "isa-ipmi-kcs,bmc=bmc0",
        ])
        // The report itself may not reach the console: with the BMC known, the reconciler powers the
        // clean server off through it at once, which ends the VM.
        #expect(serial.contains("bmc: user sidero in slot"), "serial:\n\(serial.suffix(5000))")

        // The host sees the user the guest made, and Anvil has the BMC with its credentials.
        let users = try await Self.ipmitool(address, ["user", "list", "1"])
        #expect(users.stdout.split(separator: "\n").contains { $0.contains("sidero") && $0.contains("ADMINISTRATOR") }, "\(users.stdout)")
        let server = try #require(try await store.find(kind: "Server", name: AgentQEMUTests.uuid).map(Server.init))
        #expect(server.spec.bmc?.endpoint == address)
        #expect(server.spec.bmc?.port == 623)
        #expect(server.spec.bmc?.userFrom?.secretKeyRef?.name == "\(AgentQEMUTests.uuid)-bmc")
        let secret = try Secret(try await store.get(kind: "Secret", namespace: "default", name: "\(AgentQEMUTests.uuid)-bmc"))
        let password = String(decoding: try #require(secret.value(forKey: "pass")), as: UTF8.self)
        #expect(password.count == 16 && password.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(try await Self.ipmitool(address, ["chassis", "power", "status"], user: "sidero", password: password).status == 0)
        let power = try await AnvilCLI(state: state).run("power", "status", AgentQEMUTests.uuid)
        #expect(power.status == 0, "anvil power status: \(power.stdout) \(power.stderr)")
        up.signal(SIGINT)
        _ = try await up.wait(timeout: .seconds(60))
    }
}
