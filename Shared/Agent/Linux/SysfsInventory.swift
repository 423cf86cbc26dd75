import AnvilResources
import Foundation

/// Disks from `/sys/block` and NICs from `/sys/class/net` (docs/agent.md "Inventory"). The root
/// is a parameter so the tests read a fake sysfs tree.
public struct SysfsInventory: Sendable {
    public let root: String

    public init(root: String = "/") {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// Kernel block devices that are not disks: loop, RAM disks, optical, floppies, device-mapper, md, nbd.
    static let nonDiskPrefixes = ["loop", "ram", "zram", "sr", "fd", "dm-", "md", "nbd"]

    /// Every disk, sorted by name; read-only ones included (`readOnly` says so) but not wiped.
    public func disks() -> [Disk] {
        let block = root + "/sys/block"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: block)) ?? []
        return names.sorted().compactMap { name -> Disk? in
            guard !Self.nonDiskPrefixes.contains(where: name.hasPrefix) else { return nil }
            let base = "\(block)/\(name)"
            guard let sectors = read(base + "/size").flatMap({ UInt64($0) }), sectors > 0 else { return nil }
            let model = read(base + "/device/model")
            let serial = read(base + "/device/serial") ?? read(base + "/serial")
            let wwid = read(base + "/device/wwid") ?? read(base + "/wwid")
            let rotational = read(base + "/queue/rotational") == "1"
            let type: String = name.hasPrefix("nvme") ? "NVMe" : name.hasPrefix("mmcblk") ? "SD" : rotational ? "HDD" : "SSD"
            return Disk(
                name: name, devicePath: "/dev/\(name)", size: sectors * 512, model: model, serial: serial, wwid: wwid, type: type,
                readOnly: read(base + "/ro") == "1", removable: read(base + "/removable") == "1")
        }
    }

    /// Interfaces that have a MAC address (Sidero reports only those), sorted by index.
    public func interfaces() -> [NIC] {
        let net = root + "/sys/class/net"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: net)) ?? []
        return names.compactMap { name -> NIC? in
            let base = "\(net)/\(name)"
            guard let mac = read(base + "/address"), !mac.isEmpty, mac != "00:00:00:00:00:00" else { return nil }
            let flags = read(base + "/flags").flatMap { UInt32($0.hasPrefix("0x") ? String($0.dropFirst(2)) : $0, radix: 16) } ?? 0
            return NIC(
                index: read(base + "/ifindex").flatMap { Int($0) } ?? 0, name: name, mac: mac.lowercased(),
                mtu: read(base + "/mtu").flatMap { Int($0) }, flags: flags, carrier: read(base + "/carrier") == "1")
        }.sorted { ($0.index, $0.name) < ($1.index, $1.name) }
    }

    /// Trimmed contents, nil when missing or empty.
    private func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

public struct Disk: Sendable, Equatable {
    public var name: String
    public var devicePath: String
    public var size: UInt64
    public var model: String?
    public var serial: String?
    public var wwid: String?
    /// SSD, HDD, NVMe or SD.
    public var type: String
    public var readOnly: Bool
    public var removable: Bool

    public var storageDevice: StorageDevice {
        StorageDevice(type: type, size: Int(clamping: size), productName: model, serialNumber: serial, name: name, deviceName: devicePath, wwid: wwid)
    }
}

public struct NIC: Sendable, Equatable {
    public var index: Int
    public var name: String
    public var mac: String
    public var mtu: Int?
    /// `IFF_*` bits from `/sys/class/net/<name>/flags`.
    public var flags: UInt32
    public var carrier: Bool

    /// Go's `net.Flags` names, as Sidero's agent reported them: "up|broadcast|multicast".
    public var flagNames: String {
        let names: [(UInt32, String)] = [(0x1, "up"), (0x2, "broadcast"), (0x8, "loopback"), (0x10, "pointtopoint"), (0x1000, "multicast")]
        return names.filter { flags & $0.0 != 0 }.map(\.1).joined(separator: "|")
    }

    public func networkInterface(addresses: [String]) -> NetworkInterface {
        NetworkInterface(index: index, name: name, flags: flagNames, mtu: mtu, mac: mac, addresses: addresses)
    }
}
