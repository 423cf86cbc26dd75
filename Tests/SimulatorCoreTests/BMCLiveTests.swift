import AnvilSpawn
import AnvilIPMI
import AnvilIPMIClient
import AnvilPower
import Foundation
import NIOCore
import NIOPosix
import SimulatorCore
import Synchronization
import Testing

/// Simulated BMCs on loopback against real peers: ipmitool (lanplus, suites 17 and 3) and Anvil's
/// own IPMI client (docs/simulator.md "BMC"). A missing ipmitool fails these tests; it never skips them.
@Suite(.serialized) struct BMCLiveTests {
    static let ipmitool = "/usr/bin/ipmitool"

    func withBMC(password: String = "s3cret", faults: BMCFaults = .none, _ body: (SimulatedBMC, Int) async throws -> Void) async throws {
        let server = try SimulatedBMCServer(group: MultiThreadedEventLoopGroup.singleton)
        let bmc = SimulatedBMC(chassis: SimulatedChassis(), password: password, faults: faults)
        let port = try await server.add(bmc)
        do {
            try await body(bmc, port)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// ipmitool's combined output and exit status. It runs on a thread of its own: blocking a
    /// cooperative thread would starve the BMC's event loop on 2 cores.
    /// `suite` nil lets ipmitool pick (it asks Get Channel Cipher Suites first).
    func ipmitool(port: Int, suite: Int?, password: String = "s3cret", _ arguments: [String]) async throws -> (output: String, status: Int32) {
        let arguments = ["-I", "lanplus"] + (suite.map { ["-C", "\($0)"] } ?? [])
            + ["-H", "127.0.0.1", "-p", "\(port)", "-U", "admin", "-P", password, "-N", "1", "-R", "2"] + arguments
        let finished = try await SpawnedProcess.runInBackground(Self.ipmitool, arguments, error: .toOutput)
        return (finished.outputText, finished.status)
    }

    @Test(arguments: [17, 3])
    func ipmitoolDrivesPowerAndBootDevice(suite: Int) async throws {
        try await withBMC { bmc, port in
            let chassis = bmc.chassis
            func run(_ arguments: String, expect text: String) async throws {
                let started = ContinuousClock.now
                let (output, status) = try await ipmitool(port: port, suite: suite, arguments.split(separator: " ").map(String.init))
                print("ipmitool -C \(suite) \(arguments): \(ContinuousClock.now - started)")
                #expect(status == 0, "\(arguments): \(output)")
                #expect(output.contains(text), "\(arguments): \(output)")
            }
            try await run("chassis power status", expect: "Chassis Power is off")
            try await run("chassis power on", expect: "Chassis Power Control: Up/On")
            #expect(chassis.isPoweredOn)
            try await run("chassis power status", expect: "Chassis Power is on")
            try await run("chassis power cycle", expect: "Chassis Power Control: Cycle")
            #expect(chassis.bootCount == 2)
            try await run("chassis bootdev pxe", expect: "Set Boot Device to pxe")
            #expect(chassis.nextBoot?.device == .network && chassis.nextBoot?.persistent == false)
            try await run("chassis bootdev disk options=persistent", expect: "Set Boot Device to disk")
            #expect(chassis.nextBoot?.device == .disk && chassis.nextBoot?.persistent == true)
            try await run("chassis power off", expect: "Chassis Power Control: Down/Off")
            #expect(!chassis.isPoweredOn)
            try await run("chassis power status", expect: "Chassis Power is off")
            #expect(bmc.statistics.sessionsOpened == 8)
            #expect(bmc.openSessions == 0)  // ipmitool closes each session
        }
    }

    @Test func ipmitoolPicksASuiteAndReadsLANAndUsers() async throws {
        try await withBMC { bmc, port in
            let (lan, status) = try await ipmitool(port: port, suite: nil, ["lan", "print", "1"])
            #expect(status == 0, "\(lan)")
            #expect(!lan.contains("Unable to Get Channel Cipher Suites"), "\(lan)")
            #expect(lan.contains("IP Address              : 127.0.0.1"), "\(lan)")
            for command in ["user set name 3 anvil", "user set password 3 pass-3", "channel setaccess 1 3 ipmi=on privilege=4", "user enable 3"] {
                let (output, status) = try await ipmitool(port: port, suite: 17, command.split(separator: " ").map(String.init))
                #expect(status == 0, "\(command): \(output)")
            }
            let (users, _) = try await ipmitool(port: port, suite: 17, ["user", "list", "1"])
            #expect(users.contains("anvil"), "\(users)")
            let client = IPMIClient(endpoint: IPMIEndpoint(host: "127.0.0.1", port: port, user: "anvil", password: "pass-3"))
            #expect(try await IPMIBackend(client: client).powerState() == false)
            await client.close()
            #expect(bmc.statistics.loginsRefused == 0)
        }
    }

    @Test func ipmitoolIsRefusedWithAWrongPassword() async throws {
        try await withBMC { bmc, port in
            let (output, status) = try await ipmitool(port: port, suite: 17, password: "wrong", ["chassis", "power", "status"])
            #expect(status != 0)
            #expect(output.contains("Unable to establish IPMI v2 / RMCP+ session"), "\(output)")
            #expect(bmc.statistics.sessionsOpened == 0)
        }
    }

    @Test(arguments: [UInt8(17), 3])
    func anvilsClientDrivesPowerAndBootDevice(suite: UInt8) async throws {
        try await withBMC { bmc, port in
            let client = IPMIClient(endpoint: IPMIEndpoint(host: "127.0.0.1", port: port, user: "admin", password: "s3cret", cipherSuite: suite))
            let backend = IPMIBackend(client: client)
            let started = ContinuousClock.now
            #expect(try await backend.powerState() == false)
            print("Anvil client -C \(suite): first command with session setup \(ContinuousClock.now - started)")
            // A cycle while off is refused (0xD5) and IPMIBackend powers on instead.
            try await backend.power(.cycle)
            #expect(bmc.chassis.isPoweredOn)
            #expect(try await backend.powerState())
            try await backend.setBootDevice(BootDeviceRequest(device: .pxe))
            #expect(bmc.chassis.nextBoot?.device == .network)
            #expect(try await backend.bootFlags() == BootFlags(valid: true, persistent: false, efi: true, device: .pxe))
            try await backend.setBootDevice(BootDeviceRequest(device: .disk, persistent: true))
            #expect(bmc.chassis.nextBoot?.device == .disk && bmc.chassis.nextBoot?.persistent == true)
            let timed = ContinuousClock.now
            try await backend.power(.off)
            print("Anvil client -C \(suite): one in-session command \(ContinuousClock.now - timed)")
            #expect(try await backend.powerState() == false)
            let info = try await backend.info()
            #expect(info["lanPort"] == "\(port)")
            #expect(info["lanAddress"] == "127.0.0.1")
            await backend.shutdown()
            #expect(bmc.statistics.sessionsOpened == 1)
            #expect(bmc.statistics.commands > 10)
        }
    }

    @Test func anvilsClientReportsAWrongPassword() async throws {
        try await withBMC { _, port in
            let client = IPMIClient(endpoint: IPMIEndpoint(host: "127.0.0.1", port: port, user: "admin", password: "wrong"))
            let error = await #expect(throws: PowerError.self) { try await IPMIBackend(client: client).powerState() }
            if case .authenticationFailed? = error {} else { Issue.record("expected authenticationFailed, got \(String(describing: error))") }
            await client.close()
        }
    }

    @Test func anvilsClientRetriesThroughPacketLossAndSeesTheSlowBMC() async throws {
        try await withBMC(faults: BMCFaults(packetLoss: 0.2, commandDelay: .milliseconds(100))) { bmc, port in
            let client = IPMIClient(
                endpoint: IPMIEndpoint(host: "127.0.0.1", port: port, user: "admin", password: "s3cret"),
                policy: IPMIRetryPolicy(timeout: .milliseconds(300), retries: 8, maximumTimeout: .milliseconds(600)))
            let backend = IPMIBackend(client: client)
            for _ in 0..<10 {
                try await backend.power(.on)
                #expect(try await backend.powerState())
            }
            let started = ContinuousClock.now
            _ = try await backend.powerState()
            #expect(ContinuousClock.now - started >= .milliseconds(100))
            await backend.shutdown()
            // About 25 datagrams at 20 % loss: none lost has a chance of 0.8^25, under 0.4 %.
            #expect(bmc.statistics.datagramsDropped > 0, "\(bmc.statistics)")
        }
    }

    @Test func aFrozenBMCTimesOut() async throws {
        try await withBMC(faults: BMCFaults(freezeAfter: 0)) { bmc, port in
            let client = IPMIClient(
                endpoint: IPMIEndpoint(host: "127.0.0.1", port: port, user: "admin", password: "s3cret"),
                policy: IPMIRetryPolicy(timeout: .milliseconds(100), retries: 1, maximumTimeout: .milliseconds(100)))
            let error = await #expect(throws: PowerError.self) { try await IPMIBackend(client: client).powerState() }
            if case .unreachable? = error {} else { Issue.record("expected unreachable, got \(String(describing: error))") }
            await client.close()
            #expect(bmc.isFrozen)
        }
    }
}
