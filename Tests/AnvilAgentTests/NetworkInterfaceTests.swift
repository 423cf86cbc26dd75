import AnvilDHCP
import Foundation
import Testing
@testable import AnvilAgent

@Suite struct NetworkInterfaceTests {
    @Test func macAddressesParseAndNormalize() {
        #expect(MACAddress.parse("52:54:00:AB:cd:0f") == [0x52, 0x54, 0x00, 0xAB, 0xCD, 0x0F])
        #expect(MACAddress.normalized("52-54-00-AB-CD-0F") == "52:54:00:ab:cd:0f")
        #expect(MACAddress.parse("52:54:00:ab:cd") == nil)
        #expect(MACAddress.parse("52:54:00:ab:cd:0g") == nil)
        #expect(MACAddress.parse("5:54:00:ab:cd:0f") == nil)
    }

    @Test func sysfsListsEthernetInterfacesOnly() throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("anvil-sysfs-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        func add(_ name: String, _ files: [String: String]) throws {
            let directory = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (file, text) in files { try (text + "\n").write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8) }
        }
        try add("lo", ["ifindex": "1", "type": "772", "address": "00:00:00:00:00:00", "carrier": "1"])
        try add("eth1", ["ifindex": "3", "type": "1", "address": "52:54:00:00:00:02", "operstate": "down", "mtu": "1500"])
        try add("eth0", ["ifindex": "2", "type": "1", "address": "52:54:00:00:00:01", "carrier": "1", "operstate": "up", "mtu": "9000"])
        try add("ib0", ["ifindex": "4", "type": "32", "address": "80:00:00:48:fe:80", "carrier": "1"])

        let sysfs = SysfsNetwork(root: root.path)
        let interfaces = sysfs.ethernetInterfaces()
        #expect(interfaces.map(\.name) == ["eth0", "eth1"])
        #expect(interfaces.first == NetworkLink(name: "eth0", mac: "52:54:00:00:00:01", index: 2, type: 1, mtu: 9000, hasCarrier: true, operState: "up"))
        // No carrier file (the kernel refuses to read it while the link is down): no carrier.
        #expect(interfaces.last?.hasCarrier == false)
        #expect(sysfs.interface(mac: "52:54:00:00:00:02")?.name == "eth1")
        #expect(sysfs.interface(mac: "52-54-00-00-00-09") == nil)
        #expect(sysfs.interface(named: "../eth0") == nil)
    }

    @Test func resolvConfListsSearchThenThreeServers() {
        let servers = (1...4).map { IPv4Address(10, 0, 0, UInt8($0)) }
        #expect(ResolvConf.render(servers: servers, searchDomain: "lab.example", interface: "eth0") == """
            # written by anvil-agent from the DHCP lease on eth0
            search lab.example
            nameserver 10.0.0.1
            nameserver 10.0.0.2
            nameserver 10.0.0.3

            """)
    }

    @Test func probeArgumentsParse() throws {
        let options = try DHCPProbeCommand.parse(["--interface", "vc", "--timeout", "20", "--no-resolv-conf", "--no-hostname"])
        #expect(options == DHCPProbeCommand.Options(
            interface: "vc", timeout: .seconds(20), writesResolvConf: false, setsHostname: false))
        #expect(try DHCPProbeCommand.parse(["--mac", "52-54-00-AA-BB-CC"]).mac == "52:54:00:aa:bb:cc")
        #expect(throws: NetworkSetupError.self) { try DHCPProbeCommand.parse([]) }
        #expect(throws: NetworkSetupError.self) { try DHCPProbeCommand.parse(["--interface", "a", "--mac", "52:54:00:aa:bb:cc"]) }
        #expect(throws: NetworkSetupError.self) { try DHCPProbeCommand.parse(["--interface"]) }
        #expect(throws: NetworkSetupError.self) { try DHCPProbeCommand.parse(["--interface", "vc", "--timeout", "0"]) }
        #expect(throws: NetworkSetupError.self) { try DHCPProbeCommand.parse(["--interface", "vc", "--bogus"]) }
    }

    @Test func probeLineIsOneJSONObject() throws {
        let lease = DHCPLease(
            address: IPv4Address(10, 77, 0, 100), prefixLength: 24, serverIdentifier: IPv4Address(10, 77, 0, 1), leaseTime: 3600,
            routers: [IPv4Address(10, 77, 0, 1)], dnsServers: [IPv4Address(10, 77, 0, 53)], mtu: 1400)
        let configured = ConfiguredInterface(name: "vc", mac: "52:54:00:00:00:01", lease: lease)
        let line = try DHCPProbeCommand.jsonLine(configured, addresses: ["10.77.0.100/24"])
        #expect(line == #"{"address":"10.77.0.100/24","addresses":["10.77.0.100/24"],"dns":["10.77.0.53"],"leaseSeconds":3600,"mac":"52:54:00:00:00:01","mtu":1400,"name":"vc","router":"10.77.0.1","routes":["0.0.0.0/0 via 10.77.0.1"],"server":"10.77.0.1"}"#)
    }
}
