import AnvilResources
import AnvilStore
import Foundation
import Testing

/// The discovery agent for real: a blank QEMU VM (TCG) network-boots through `anvil up`
/// (/boot.ipxe → /ipxe → the agent environment `anvil agent build` made), is discovered with its
/// real SMBIOS, disks and NIC, and is wiped on acceptance; the host checks the disk images.
@Suite(.serialized) struct AgentQEMUTests {
    static let uuid = "4a6b1c2d-3e4f-4a5b-8c6d-7e8f90a1b2c3"
    static let mac = "52:54:00:ab:00:01"

    /// `anvil up` with the agent environment installed; `environment` adds settings.
    static func startAnvil(state: TemporaryDirectory, offset: Int, _ environment: [String: String]) async throws -> ChildProcess {
        try await AgentEnvironmentBuild.shared.install(into: state.path)
        var settings = ["ANVIL_STATE": state.path, "ANVIL_API_ENDPOINT": "10.0.2.2"]
        settings.merge(environment) { $1 }
        let up = try ChildProcess(BuiltProducts.url("anvil"), ["up", "--port-offset", "\(offset)"], environment: settings)
        try await up.waitForOutput("daemons running", timeout: .seconds(90))
        #expect(!up.stdout.contains("no agent environment"), "\(up.stdout.suffix(2000))")
        return up
    }

    /// Boots the VM from bootd until the agent reboots it (QEMU exits: `-no-reboot`); the serial console.
    static func boot(bootPort: Int, disks: [(DiskImage, String)], extra: [String] = []) async throws -> String {
        var arguments = [
            "-accel", "tcg", "-nographic", "-nodefaults", "-serial", "stdio", "-m", "1024", "-no-reboot",
            "-smbios", "type=1,manufacturer=Acme,product=Node-9,version=1.2,serial=SN-42,uuid=\(uuid),sku=SKU-7,family=Rack",
            "-smbios", "type=4,sock_pfx=CPU,manufacturer=AcmeChips,version=Acme-9000,serial=CPU-SN-1,part=AC-9000",
            "-smbios", "type=17,loc_pfx=DIMM,bank=BANK,manufacturer=AcmeMem,serial=MEM-SN-1,part=AM-1G,speed=2400",
            "-netdev", "user,id=n0,bootfile=http://10.0.2.2:\(bootPort)/boot.ipxe",
            "-device", "e1000,netdev=n0,mac=\(mac)", "-boot", "n",
        ]
        for (index, (disk, serial)) in disks.enumerated() {
            arguments += ["-drive", "file=\(disk.path),format=raw,if=none,id=d\(index)", "-device", "virtio-blk-pci,drive=d\(index),serial=\(serial)"]
        }
        let vm = try ChildProcess(URL(fileURLWithPath: try Peer.path("qemu-system-x86_64")), arguments + extra)
        defer { if vm.isRunning { vm.signal(SIGKILL) } }
        let result = try await vm.wait(timeout: .seconds(600))
        #expect(result.status == 0, "qemu: \(result.stderr)")
        return result.stdout
    }

    static func server(_ store: Store) async throws -> Server? {
        try await store.find(kind: "Server", name: uuid).map(Server.init)
    }

    @Test func aBlankVMIsDiscoveredWithItsHardwareThenFastWipedOnAcceptance() async throws {
        let state = try TemporaryDirectory()
        // Every port stays below the kernel's ephemeral range (32768+), where other tests' connections land.
        let offset = Int.random(in: 13000...15999)
        let up = try await Self.startAnvil(state: state, offset: offset, ["ANVIL_AUTO_BMC_SETUP": "false", "ANVIL_INSECURE_WIPE": "true"])
        defer { if up.isRunning { up.signal(SIGKILL) } }
        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        let first = try DiskImage.random(at: state.path + "/disk-a.img", mebibytes: 64)
        let second = try DiskImage.random(at: state.path + "/disk-b.img", mebibytes: 40)
        let disks = [(first, "DISK-A"), (second, "DISK-B")]

        // First boot: discovered, not accepted, nothing wiped.
        let started = ContinuousClock.now
        let serial = try await Self.boot(bootPort: 8081 + offset, disks: disks)
        let server = try #require(try await Self.server(store), "no Server after the first boot; serial:\n\(serial.suffix(5000))")
        print("agent: boot to registered and rebooted in \(ContinuousClock.now - started)")
        #expect(serial.contains("anvil-agent: registered \(Self.uuid): accepted=false"), "serial:\n\(serial.suffix(5000))")
        #expect(!server.spec.accepted)
        let system = try #require(server.spec.hardware?.system)
        #expect(system == SystemInformation(
            uuid: Self.uuid, manufacturer: "Acme", productName: "Node-9", version: "1.2", serialNumber: "SN-42", skuNumber: "SKU-7", family: "Rack"))
        let processor = try #require(server.spec.hardware?.compute?.processors?.first)
        #expect(processor.manufacturer == "AcmeChips")
        #expect(processor.productName == "Acme-9000")
        let memory = try #require(server.spec.hardware?.memory?.modules?.first)
        #expect(memory.manufacturer == "AcmeMem" && memory.serialNumber == "MEM-SN-1" && memory.productName == "AM-1G")
        #expect(memory.size == 1024)
        let devices = server.spec.hardware?.storage?.devices ?? []
        #expect(devices.map(\.name) == ["vda", "vdb"])
        #expect(devices.map(\.size) == [64 << 20, 40 << 20])
        #expect(devices.map(\.serialNumber) == ["DISK-A", "DISK-B"])
        let nic = try #require(server.spec.hardware?.network?.interfaces?.first { $0.mac == Self.mac }, "\(String(describing: server.spec.hardware?.network))")
        #expect(nic.addresses?.contains("10.0.2.15/24") == true)
        #expect(server.status.addresses?.contains(NodeAddress(type: "InternalIP", address: "10.0.2.15")) == true)
        #expect(!server.status.isClean)
        #expect(try first.isUntouched(0..<(1 << 20)) && second.isUntouched(0..<(1 << 20)))

        // Accepted: the next boot wipes (fast): first and last MiB zero, the middle untouched.
        _ = try await AnvilCLI(state: state).ok("accept", Self.uuid)
        let wipeSerial = try await Self.boot(bootPort: 8081 + offset, disks: disks)
        #expect(wipeSerial.contains("wipe: done, server marked clean"), "serial:\n\(wipeSerial.suffix(5000))")
        let wiped = try #require(try await Self.server(store))
        #expect(wiped.status.isClean)
        for disk in [first, second] {
            #expect(try disk.isZero(0..<(1 << 20)), "\(disk.path): first MiB")
            #expect(try disk.isZero((disk.size - (1 << 20))..<disk.size), "\(disk.path): last MiB")
            #expect(try disk.isUntouched((1 << 20)..<(disk.size - (1 << 20))), "\(disk.path): middle")
        }
        up.signal(SIGINT)
        _ = try await up.wait(timeout: .seconds(60))
    }

    @Test func aFullWipeZeroesEveryByte() async throws {
        let state = try TemporaryDirectory()
        let offset = Int.random(in: 16000...18999)
        let up = try await Self.startAnvil(
            state: state, offset: offset, ["ANVIL_AUTO_BMC_SETUP": "false", "ANVIL_INSECURE_WIPE": "false", "ANVIL_AUTO_ACCEPT_SERVERS": "true"])
        defer { if up.isRunning { up.signal(SIGKILL) } }
        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        let disk = try DiskImage.random(at: state.path + "/disk.img", mebibytes: 48)
        let serial = try await Self.boot(bootPort: 8081 + offset, disks: [(disk, "DISK-F")])
        #expect(serial.contains("zeroed with"), "serial:\n\(serial.suffix(5000))")
        #expect(try await Self.server(store)?.status.isClean == true)
        #expect(try disk.isZero(0..<disk.size))
        up.signal(SIGINT)
        _ = try await up.wait(timeout: .seconds(60))
    }
}
