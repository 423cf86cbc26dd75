import AnvilResources
import AnvilStore
import Foundation
import Testing

/// `anvil up` on a provisioning network, not loopback (README "Deploy on a provisioning network"):
/// inside a network namespace the test creates, `anvil up --listen <bridge address> --tftp-port 69`
/// with dnsmasq giving DHCP; a VM on the bridge (tap) boots iPXE → /boot.ipxe → /ipxe → the
/// agent, which registers through metadatad on the bridge address. tftpd answers on port 69 there.
@Suite struct AnvilUpNetworkTests {
    static let uuid = "6c7d8e9f-a0b1-4c2d-8e3f-4a5b6c7d8e9f"

    @Test func aVMOnABridgeIsDiscoveredThroughAnvilUpListeningThere() async throws {
        let qemu = try Peer.path("qemu-system-x86_64")
        let dnsmasq = try Peer.path("dnsmasq")
        let curl = try Peer.path("curl")
        let scratch = try TemporaryDirectory()
        let state = try TemporaryDirectory()
        try await AgentEnvironmentBuild.shared.install(into: state.path)
        let netns = try NetworkNamespace(subnet: "10.98.\(Int.random(in: 1...250))")
        defer { netns.delete() }
        let server = netns.gateway

        // Default ports: the namespace is this test's alone.
        let up = try netns.start(BuiltProducts.url("anvil").path, ["up", "--state", state.path, "--listen", server, "--tftp-port", "69", "--quiet"])
        try await up.waitForOutput("daemons running", timeout: .seconds(90))
        #expect(up.stdout.contains("5 daemons running"), "\(up.stdout.suffix(2000))")
        // Listening on the bridge, not loopback.
        let ipxe = try await ChildProcess.run(URL(fileURLWithPath: netns.exec[0]), Array(netns.exec.dropFirst()) + [curl, "-s", "http://\(server):8081/boot.ipxe"])
        #expect(ipxe.stdout.contains("http://\(server):8081/ipxe?uuid="), "\(ipxe.stdout)")
        let tftp = try await ChildProcess.run(
            URL(fileURLWithPath: netns.exec[0]), Array(netns.exec.dropFirst()) + [curl, "-s", "-o", scratch.path + "/undionly.kpxe", "tftp://\(server)/undionly.kpxe"])
        #expect(tftp.status == 0 && FileManager.default.fileExists(atPath: scratch.path + "/undionly.kpxe"), "\(tftp.stderr)")

        let pidFile = scratch.path + "/dnsmasq.pid"
        try await netns.startDaemon(dnsmasq, [
            "--conf-file=" + (try scratch.file("dnsmasq.conf", contents: "")), "--port=0", "--log-dhcp", "--log-facility=\(scratch.path)/dnsmasq.log",
            "--pid-file=\(pidFile)", "--dhcp-leasefile=\(scratch.path)/leases", "--interface=br0", "--bind-interfaces",
            "--dhcp-range=\(netns.subnet).100,\(netns.subnet).150,1h", "--enable-ra", "--dhcp-range=::,constructor:br0,ra-only",
            // The chain-load loop break: firmware gets undionly.kpxe from Anvil's tftpd, iPXE gets the script.
            "--dhcp-userclass=set:ipxe,iPXE",
            "--dhcp-boot=tag:ipxe,http://\(server):8081/boot.ipxe",
            "--dhcp-boot=tag:!ipxe,undionly.kpxe,,\(server)",
        ], pidFile: pidFile)

        let vm = try netns.start(qemu, [
            "-accel", "tcg", "-nographic", "-nodefaults", "-serial", "stdio", "-m", "1024", "-no-reboot",
            "-smbios", "type=1,uuid=\(Self.uuid),manufacturer=Acme",
            "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no", "-device", "e1000,netdev=n0,mac=52:54:00:98:00:01", "-boot", "n",
        ])
        defer { TFTPFirmwareTests.kill(vm) }
        let result = try await vm.wait(timeout: .seconds(600))
        let dhcp = (try? String(contentsOfFile: scratch.path + "/dnsmasq.log", encoding: .utf8)) ?? ""
        #expect(result.stdout.contains("anvil-agent: registered \(Self.uuid)"), "serial:\n\(result.stdout.suffix(4000))\ndnsmasq:\n\(dhcp.suffix(1500))")
        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        let registered = try #require(try await store.find(kind: "Server", name: Self.uuid).map(Server.init))
        #expect(registered.spec.hardware?.system?.manufacturer == "Acme")
        #expect(registered.status.addresses?.contains { $0.address.hasPrefix(netns.subnet + ".") } == true, "\(String(describing: registered.status.addresses))")
        up.signal(SIGINT)
        _ = try await up.wait(timeout: .seconds(60))
    }
}
