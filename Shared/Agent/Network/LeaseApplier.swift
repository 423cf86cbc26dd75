#if os(Linux)
import AnvilDHCP
import Foundation
import Glibc

/// Applies what a lease says to the system: link up, MTU, address, routes, resolver and hostname.
struct LeaseApplier: Sendable {
    /// Where the resolver configuration goes; nil leaves it alone (the probe's `--no-resolv-conf`).
    var resolvConfPath: String?
    /// Whether to set the kernel's hostname from option 12.
    var setsHostname: Bool
    var log: @Sendable (String) -> Void

    /// Sets IFF_UP on `interface`.
    static func bringUp(_ interface: NetworkLink) throws(NetworkSetupError) {
        let netlink = try RouteNetlinkSocket()
        let sequence = netlink.nextSequence()
        try netlink.perform(.linkUp(index: interface.index, sequence: sequence), sequence: sequence, what: "bring \(interface.name) up")
    }

    /// Applies `lease` to `interface`.
    func apply(_ lease: DHCPLease, to interface: NetworkLink) throws(NetworkSetupError) {
        let netlink = try RouteNetlinkSocket()
        let name = interface.name
        if let mtu = lease.mtu {
            let sequence = netlink.nextSequence()
            try netlink.perform(.setMTU(index: interface.index, mtu: UInt32(mtu), sequence: sequence), sequence: sequence, what: "set the MTU of \(name) to \(mtu)")
            log("network: \(name): MTU \(mtu)")
        }
        let broadcast = lease.broadcastAddress ?? IPv4Address(lease.address.value | ~lease.subnetMask.value)
        var sequence = netlink.nextSequence()
        try netlink.perform(
            .addAddress(index: interface.index, address: lease.address, prefixLength: lease.prefixLength, broadcast: broadcast, sequence: sequence),
            sequence: sequence, what: "add \(lease.cidr) to \(name)")
        log("network: \(name): address \(lease.cidr) (broadcast \(broadcast))")
        // On-link routes first: a router may only be reachable through one of them.
        for route in lease.routes.sorted(by: { $0.isOnLink && !$1.isOnLink }) {
            sequence = netlink.nextSequence()
            try netlink.perform(.addRoute(index: interface.index, route: route, sequence: sequence), sequence: sequence, what: "add route \(route) on \(name)")
            log("network: \(name): route \(route)")
        }
        if lease.routes.isEmpty { log("network: \(name): the server sent no router, so no default route") }
        try writeResolvConf(lease, interface: name)
        try applyHostname(lease)
    }

    private func writeResolvConf(_ lease: DHCPLease, interface: String) throws(NetworkSetupError) {
        guard let path = resolvConfPath, !lease.dnsServers.isEmpty else { return }
        let text = ResolvConf.render(servers: lease.dnsServers, searchDomain: lease.domainName, interface: interface)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .system(call: "write", errno: EIO, detail: "\(path) (\(error))")
        }
        log("network: \(path): nameservers \(lease.dnsServers.map(\.description).joined(separator: " "))"
            + (lease.domainName.map { ", search \($0)" } ?? ""))
    }

    private func applyHostname(_ lease: DHCPLease) throws(NetworkSetupError) {
        guard setsHostname, let hostName = lease.hostName else { return }
        let bytes = Array(hostName.utf8)
        guard sethostname(bytes, bytes.count) == 0 else { throw .system(call: "sethostname", errno: errno, detail: hostName) }
        log("network: hostname \(hostName)")
    }
}

/// The text of /etc/resolv.conf.
enum ResolvConf {
    /// glibc's resolver reads at most three nameserver lines (MAXNS).
    static let maximumServers = 3

    static func render(servers: [IPv4Address], searchDomain: String?, interface: String) -> String {
        var lines = ["# written by anvil-agent from the DHCP lease on \(interface)"]
        if let searchDomain { lines.append("search \(searchDomain)") }
        lines += servers.prefix(maximumServers).map { "nameserver \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
#endif
