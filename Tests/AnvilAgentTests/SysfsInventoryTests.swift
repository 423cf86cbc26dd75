import Foundation
import Testing
@testable import AnvilAgent

/// Disks and NICs read from a fake sysfs tree laid out as the kernel does.
@Suite struct SysfsInventoryTests {
    func withTree(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sysfs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (path, content) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        try body(root)
    }

    @Test func disksAreTypedSizedAndPseudoDevicesSkipped() throws {
        try withTree([
            "sys/block/vda/size": "4194304\n", "sys/block/vda/serial": "disk-a\n", "sys/block/vda/queue/rotational": "1\n", "sys/block/vda/ro": "0\n",
            "sys/block/nvme0n1/size": "2000409264\n", "sys/block/nvme0n1/device/model": "Samsung SSD 980   \n",
            "sys/block/nvme0n1/device/serial": " S1234 \n", "sys/block/nvme0n1/wwid": "eui.0025388b01234567\n", "sys/block/nvme0n1/queue/rotational": "0\n",
            "sys/block/sda/size": "1000\n", "sys/block/sda/queue/rotational": "0\n", "sys/block/sda/ro": "1\n", "sys/block/sda/removable": "1\n",
            "sys/block/loop0/size": "100\n", "sys/block/sr0/size": "100\n", "sys/block/dm-0/size": "100\n",
            "sys/block/vdb/size": "0\n",
        ]) { root in
            let disks = SysfsInventory(root: root).disks()
            #expect(disks.map(\.name) == ["nvme0n1", "sda", "vda"])
            #expect(disks[0].type == "NVMe")
            #expect(disks[0].model == "Samsung SSD 980")
            #expect(disks[0].serial == "S1234")
            #expect(disks[0].wwid == "eui.0025388b01234567")
            #expect(disks[0].size == 2_000_409_264 * 512)
            #expect(disks[1].type == "SSD" && disks[1].readOnly && disks[1].removable)
            #expect(disks[2].type == "HDD")
            #expect(disks[2].serial == "disk-a")
            #expect(disks[2].storageDevice.deviceName == "/dev/vda")
            #expect(disks[2].storageDevice.size == 2 << 30)
        }
    }

    @Test func nicsNeedAMACAndTheirFlagsReadAsSideroNamedThem() throws {
        try withTree([
            "sys/class/net/lo/address": "00:00:00:00:00:00\n", "sys/class/net/lo/ifindex": "1\n",
            "sys/class/net/ens3/address": "52:54:00:AA:BB:CC\n", "sys/class/net/ens3/ifindex": "2\n", "sys/class/net/ens3/mtu": "1500\n",
            "sys/class/net/ens3/flags": "0x1003\n", "sys/class/net/ens3/carrier": "1\n",
            "sys/class/net/eth1/address": "52:54:00:00:00:01\n", "sys/class/net/eth1/ifindex": "3\n", "sys/class/net/eth1/flags": "0x1002\n",
        ]) { root in
            let nics = SysfsInventory(root: root).interfaces()
            #expect(nics.map(\.name) == ["ens3", "eth1"])
            #expect(nics[0].mac == "52:54:00:aa:bb:cc")
            #expect(nics[0].flagNames == "up|broadcast|multicast")
            #expect(nics[0].carrier)
            #expect(nics[1].flagNames == "broadcast|multicast")
            #expect(!nics[1].carrier)
            let interface = nics[0].networkInterface(addresses: ["10.0.2.15/24"])
            #expect(interface.index == 2 && interface.mtu == 1500 && interface.addresses == ["10.0.2.15/24"])
        }
    }

    @Test func reportableAddressesAreGlobalUnicastOnly() {
        #expect(InterfaceAddresses.reportable("10.0.2.15/24") == "10.0.2.15")
        #expect(InterfaceAddresses.reportable("fd99::15/64") == "fd99::15")
        #expect(InterfaceAddresses.reportable("127.0.0.1/8") == nil)
        #expect(InterfaceAddresses.reportable("169.254.1.1/16") == nil)
        #expect(InterfaceAddresses.reportable("fe80::1/64") == nil)
        #expect(InterfaceAddresses.reportable("::1/128") == nil)
    }

    @Test func theModuleListSkipsCommentsAndNamesModules() {
        let text = "# load order\nlib/modules/6.1.0-27-amd64/kernel/net/core/failover.ko\n\n  lib/modules/6.1.0-27-amd64/kernel/drivers/net/virtio_net.ko  \n"
        #expect(ModuleList.paths(in: text) == ["lib/modules/6.1.0-27-amd64/kernel/net/core/failover.ko", "lib/modules/6.1.0-27-amd64/kernel/drivers/net/virtio_net.ko"])
        #expect(ModuleList.name(of: "kernel/drivers/net/virtio_net.ko.xz") == "virtio_net")
    }
}
