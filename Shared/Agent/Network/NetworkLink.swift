import Foundation

/// A network interface as `/sys/class/net/<name>/` describes it.
public struct NetworkLink: Hashable, Sendable {
    public var name: String
    /// Lower-case, colon-separated (`address`).
    public var mac: String
    /// The kernel's interface index (`ifindex`), which netlink requests name.
    public var index: Int32
    /// ARPHRD type (`type`): 1 is Ethernet.
    public var type: Int
    public var mtu: Int?
    /// `carrier` is 1: a cable (or peer) is there. Reading it fails while the link is down: false.
    public var hasCarrier: Bool
    /// `operstate`: "up", "down", "unknown", "dormant"…
    public var operState: String

    public init(name: String, mac: String, index: Int32, type: Int, mtu: Int?, hasCarrier: Bool, operState: String) {
        self.name = name
        self.mac = mac
        self.index = index
        self.type = type
        self.mtu = mtu
        self.hasCarrier = hasCarrier
        self.operState = operState
    }

    /// ARPHRD_ETHER.
    public static let ethernetType = 1

    /// A one-line description for the console.
    public var summary: String {
        "\(name) (\(mac), carrier \(hasCarrier ? "yes" : "no"), \(operState)\(mtu.map { ", mtu \($0)" } ?? ""))"
    }
}

/// Reads interfaces from sysfs. The root is a parameter so tests can use a fake tree.
public struct SysfsNetwork: Sendable {
    public var root: String

    public init(root: String = "/sys/class/net") {
        self.root = root
    }

    /// The Ethernet interfaces, sorted by name; `lo` and other link types are left out.
    public func ethernetInterfaces() -> [NetworkLink] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap(interface(named:)).filter { $0.name != "lo" && $0.type == NetworkLink.ethernetType }
    }

    /// The interface called `name`, or nil when it does not exist (or has no index).
    public func interface(named name: String) -> NetworkLink? {
        guard !name.contains("/"), let index = read(name, "ifindex").flatMap({ Int32($0) }) else { return nil }
        return NetworkLink(
            name: name,
            mac: read(name, "address").flatMap(MACAddress.normalized) ?? read(name, "address") ?? "",
            index: index,
            type: read(name, "type").flatMap { Int($0) } ?? -1,
            mtu: read(name, "mtu").flatMap { Int($0) },
            hasCarrier: read(name, "carrier") == "1",
            operState: read(name, "operstate") ?? "unknown")
    }

    /// The Ethernet interface whose MAC is `mac` (any case or separator).
    public func interface(mac: String) -> NetworkLink? {
        let wanted = MACAddress.normalized(mac) ?? mac.lowercased()
        return ethernetInterfaces().first { $0.mac == wanted }
    }

    /// One attribute file, trimmed; nil when it cannot be read.
    private func read(_ name: String, _ attribute: String) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(root)/\(name)/\(attribute)") else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
