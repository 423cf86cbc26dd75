import SimulatorCore
import Testing

/// A machine against a fake bootd + metadatad: the lifecycle and each machine fault's visible effect.
@Suite(.serialized) struct MachineLifecycleTests {
    static func machine(
        index: Int = 0, faults: MachineFaults = MachineFaults(), chassis: SimulatedChassis = SimulatedChassis(), anvil: MachineTestAnvil,
        log: MachineTestLog, wipe: Duration = .milliseconds(200), fetchBootScript: Bool = false
    ) -> SimulatedMachine {
        let identity = FleetIdentities.identity(index: index, seed: 42)
        return SimulatedMachine(
            identity: identity, faults: faults, chassis: chassis,
            bmc: .init(ip: "127.78.0.\(index + 1)", port: 623, user: "admin", pass: "password"),
            bootd: anvil.bootd, timings: .fast(wipe: wipe), fetchBootScript: fetchBootScript, log: log.sink)
    }

    @Test func agentWipesThenTargetInstallsThenTheDiskBoots() async throws {
        let anvil = MachineTestAnvil()
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(anvil: anvil, log: log)
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.powerOn()
        #expect(await eventually { machine.record.phase == .runningFromDisk })
        #expect(machine.record.reached(.registered) && machine.record.reached(.wiped) && machine.record.reached(.installed))
        #expect(machine.disk.installedOS == "/env/target/vmlinuz")
        let requests = anvil.requests
        let uuid = machine.identity.uuid
        // Every request from the machine's own loopback address, as bootd and metadatad must see it.
        #expect(Set(requests.map(\.client)) == [machine.identity.address])
        #expect(requests.map(\.path).filter { $0 == "/ipxe" }.count == 3)
        #expect(requests.first?.query["mac"] == machine.identity.macs[0].replacingOccurrences(of: ":", with: "-"))
        #expect(requests.contains { $0.path == "/api/v1/register" && $0.authorization == "Bearer \(MachineTestAnvil.token)" && $0.body.contains(uuid) })
        #expect(requests.contains { $0.path == "/api/v1/servers/\(uuid)/bmc" && $0.body.contains("127.78.0.1") })
        #expect(requests.contains { $0.path == "/configdata" && $0.query["uuid"] == uuid && $0.query["token"] == MachineTestAnvil.token })
        #expect(requests.contains { $0.path == "/api/v1/servers/\(uuid)/installed" && $0.authorization == "Bearer \(MachineTestAnvil.token)" })
        #expect(machine.chassis.bootCount == 3)
        #expect(log.contains("\(machine.identity.name) disk: booted /env/target/vmlinuz; running"))
        let snapshot = machine.record.snapshot(poweredOn: true)
        #expect(snapshot.httpCalls == requests.count)
        #expect((snapshot.secondsInPhase["wiping"] ?? 0) >= 0.15)
    }

    @Test func withBootIPXETheChainLineBootdRenderedIsFollowed() async throws {
        let anvil = MachineTestAnvil()
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(anvil: anvil, log: log, fetchBootScript: true)
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.powerOn()
        #expect(await eventually { machine.record.phase == .runningFromDisk })
        let paths = anvil.requests.map(\.path).filter { $0.hasSuffix("ipxe") }
        #expect(paths == ["/boot.ipxe", "/ipxe", "/boot.ipxe", "/ipxe", "/boot.ipxe", "/ipxe"])
        let ask = try #require(anvil.requests.first { $0.path == "/ipxe" })
        #expect(ask.query == [
            "uuid": machine.identity.uuid, "mac": machine.identity.macs[0].replacingOccurrences(of: ":", with: "-"), "domain": "", "hostname": "",
            "serial": machine.identity.serial, "arch": "x86_64",
        ])
    }

    @Test func theAgentPowersOffWhenTheKernelSaysSo() async throws {
        let anvil = MachineTestAnvil()
        anvil.update { $0.powerOff = true }
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(anvil: anvil, log: log)
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.powerOn()
        // Off at first too: wait for the wipe, then for the power-off.
        #expect(await eventually { machine.record.reached(.wiped) && machine.record.phase == .off })
        #expect(!machine.chassis.isPoweredOn)
        #expect(!machine.record.reached(.installed))
    }

    @Test func anUnacceptedServerRebootsAndAsksAgain() async throws {
        let anvil = MachineTestAnvil()
        anvil.update { $0.accepted = false }
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(anvil: anvil, log: log)
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.powerOn()
        #expect(await eventually { anvil.requests.filter { $0.path == "/api/v1/register" }.count >= 3 })
        #expect(!machine.record.reached(.wiped))
        #expect(log.contains("agent: waiting for acceptance"))
    }

    @Test func aBadBootdAnswerIsRetried() async throws {
        let anvil = MachineTestAnvil()
        anvil.update { $0.failIPXE = 2; $0.failConfig = 2 }
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(anvil: anvil, log: log)
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.powerOn()
        #expect(await eventually { machine.record.phase == .runningFromDisk })
        #expect(log.contains("pxe: attempt 1/5 failed"))
        #expect(log.contains("install: config HTTP 404"))
        #expect(machine.record.snapshot(poweredOn: true).httpFailures == 4)
    }

    @Test func anEmptyDiskBootsNothingThenTheNetworkIsTried() async throws {
        let anvil = MachineTestAnvil()
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(anvil: anvil, log: log)
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.setNextBoot(.disk)
        machine.chassis.powerOn()
        #expect(await eventually { machine.record.reached(.registered) })
        #expect(log.contains("disk: nothing bootable on it"))

        let diskOnly = Self.machine(index: 1, chassis: SimulatedChassis(bootOrder: [.disk]), anvil: anvil, log: log)
        let diskRun = Task { await diskOnly.run() }
        defer { diskRun.cancel() }
        diskOnly.chassis.powerOn()
        #expect(await eventually { diskOnly.record.phase == .noBootDevice })
    }

    @Test func theAgentDyingMidWipeNeverMarksWipedAndSitsUntilThePowerChanges() async throws {
        let anvil = MachineTestAnvil()
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(faults: MachineFaults(agentDiesMidWipe: true), anvil: anvil, log: log, wipe: .milliseconds(400))
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.powerOn()
        #expect(await eventually { machine.record.phase == .agentDead })
        try await Task.sleep(for: .milliseconds(500))
        #expect(machine.record.phase == .agentDead)
        #expect(machine.chassis.isPoweredOn)
        #expect(machine.chassis.bootCount == 1)
        #expect(!anvil.requests.contains { $0.path.hasSuffix("/wiped") })
        #expect(!log.contains("wipe failed"))  // a dead agent says nothing more
        // The next power event boots it again: this time the fault strikes again, after a fresh register.
        machine.chassis.powerCycle()
        #expect(await eventually { anvil.requests.filter { $0.path == "/api/v1/register" }.count == 2 })
    }

    @Test func aDuplicateUUIDIsReportedByTwoMachines() async throws {
        let anvil = MachineTestAnvil()
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let original = Self.machine(index: 0, anvil: anvil, log: log)
        let copy = Self.machine(index: 1, faults: MachineFaults(duplicateUUID: original.identity.uuid), anvil: anvil, log: log)
        let runs = [Task { await original.run() }, Task { await copy.run() }]
        defer { runs.forEach { $0.cancel() } }
        anvil.update { $0.accepted = false }
        original.chassis.powerOn()
        copy.chassis.powerOn()
        #expect(await eventually { Set(anvil.requests.filter { $0.path == "/ipxe" }.map(\.client)).count == 2 })
        let asks = anvil.requests.filter { $0.path == "/ipxe" }
        #expect(Set(asks.compactMap { $0.query["uuid"] }) == [original.identity.uuid])
        #expect(Set(asks.compactMap { $0.query["mac"] }).count == 2)
        #expect(await eventually { Set(anvil.requests.filter { $0.path == "/api/v1/register" }.map(\.client)).count == 2 })
    }

    @Test func aChangingMACIsDifferentOnEveryBoot() async throws {
        let anvil = MachineTestAnvil()
        anvil.update { $0.accepted = false }
        try await anvil.start()
        defer { anvil.stop() }
        let log = MachineTestLog()
        let machine = Self.machine(faults: MachineFaults(changingMAC: true), anvil: anvil, log: log)
        let run = Task { await machine.run() }
        defer { run.cancel() }
        machine.chassis.powerOn()
        #expect(await eventually { anvil.requests.filter { $0.path == "/ipxe" }.count >= 3 })
        let macs = anvil.requests.filter { $0.path == "/ipxe" }.prefix(3).compactMap { $0.query["mac"] }
        #expect(Set(macs).count == 3)
        #expect(!macs.contains(machine.identity.macs[0].replacingOccurrences(of: ":", with: "-")))
        let registers = anvil.requests.filter { $0.path == "/api/v1/register" }
        #expect(registers.count >= 2)
        #expect(registers[0].body != registers[1].body)  // the inventory's MAC changed too
    }
}
