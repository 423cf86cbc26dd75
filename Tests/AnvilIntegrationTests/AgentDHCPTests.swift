import AnvilSpawn
import Foundation
import Synchronization
import Testing

/// `anvil-agent dhcp` against a real dnsmasq over a veth pair: the server end on a bridge at
/// 10.77.0.1/24 in one namespace, the client end `vc` alone in another, so the address the agent
/// sets cannot clash with the server's. Runs as root (network namespaces); no traffic leaves them.
@Suite struct AgentDHCPTests {
    @Test func leaseFromDnsmasqIsApplied() async throws {
        try await withDHCPServer(options: [
            "--dhcp-option=option:router,10.77.0.1", "--dhcp-option=option:dns-server,10.77.0.53", "--dhcp-option=26,1400",
        ]) { client, lease, ip in
            #expect(lease["router"] as? String == "10.77.0.1")
            #expect(lease["dns"] as? [String] == ["10.77.0.53"])
            #expect(lease["routes"] as? [String] == ["0.0.0.0/0 via 10.77.0.1"])
            let routes = try await ip("route", "show")
            #expect(routes.contains("default via 10.77.0.1 dev vc"), "\(routes)")
        }
    }

    @Test func classlessStaticRoutesReplaceTheRouterOption() async throws {
        try await withDHCPServer(options: [
            "--dhcp-option=option:dns-server,10.77.0.53", "--dhcp-option=26,1400",
            "--dhcp-option=121,10.88.0.0/16,10.77.0.1,0.0.0.0/0,10.77.0.1",
        ]) { client, lease, ip in
            #expect(lease["routes"] as? [String] == ["10.88.0.0/16 via 10.77.0.1", "0.0.0.0/0 via 10.77.0.1"])
            #expect(lease["router"] as? String == "10.77.0.1")
            let routes = try await ip("route", "show")
            #expect(routes.contains("default via 10.77.0.1 dev vc"), "\(routes)")
            #expect(routes.contains("10.88.0.0/16 via 10.77.0.1 dev vc"), "\(routes)")
        }
    }

    /// Sets up both namespaces and dnsmasq with `options`, runs the probe on `vc`, checks what
    /// every lease must show (address in range, MTU 1400 on the link, the address on `vc`), then
    /// hands the lease and an `ip -n <client>` runner to `check`. Everything is torn down after.
    private func withDHCPServer(
        options: [String],
        check: (_ client: String, _ lease: [String: Any], _ ip: (String...) async throws -> String) async throws -> Void
    ) async throws {
        let ipPath = try Peer.path("ip")
        let dnsmasq = try Peer.path("dnsmasq")
        let agent = BuiltProducts.url("anvil-agent").path
        guard FileManager.default.isExecutableFile(atPath: agent) else {
            throw TestFailure("\(agent) is missing: `swift build --build-tests` (or `swift build --product anvil-agent`) builds it")
        }
        let scratch = try TemporaryDirectory()
        let server = try NetworkNamespace(subnet: "10.77.0", taps: [])
        defer { server.delete() }
        let client = try ClientNamespace()
        defer { client.delete() }

        try await run(ipPath, "-n", server.name, "link", "add", "vs", "type", "veth", "peer", "name", "vc", "netns", client.name)
        try await run(ipPath, "-n", server.name, "link", "set", "vs", "master", "br0")
        try await run(ipPath, "-n", server.name, "link", "set", "vs", "up")

        let pidFile = scratch.path + "/dnsmasq.pid"
        try await server.startDaemon(dnsmasq, [
            "--conf-file=/dev/null", "--port=0", "--interface=br0", "--bind-interfaces",
            "--dhcp-range=10.77.0.100,10.77.0.150,1h", "--dhcp-leasefile=\(scratch.path)/leases", "--pid-file=\(pidFile)",
            "--log-dhcp", "--log-facility=\(scratch.path)/dnsmasq.log",
        ] + options, pidFile: pidFile)

        let probe = try await ChildProcess.run(
            URL(fileURLWithPath: ipPath),
            ["netns", "exec", client.name, agent, "dhcp", "--interface", "vc", "--timeout", "60", "--link-timeout", "20", "--no-resolv-conf", "--no-hostname"],
            timeout: .seconds(120))
        let dnsmasqLog = (try? String(contentsOfFile: scratch.path + "/dnsmasq.log", encoding: .utf8)) ?? ""
        let context = "stdout: \(probe.stdout)\nstderr: \(probe.stderr)\ndnsmasq: \(dnsmasqLog.suffix(2000))"
        if probe.stdout.hasPrefix("anvil-agent") {
            throw TestFailure("anvil-agent ignored `dhcp`: AgentMain must hand `anvil-agent dhcp …` to DHCPProbeCommand.run")
        }
        try #require(probe.status == 0, "\(context)")
        let lines = probe.stdout.split(separator: "\n")
        try #require(lines.count == 1, "one JSON line on stdout; \(context)")
        let lease = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any], "\(context)")

        let address = try #require(lease["address"] as? String, "\(context)")
        let host = address.split(separator: "/").first.flatMap { $0.split(separator: ".").last }.flatMap { Int($0) } ?? 0
        #expect(address.hasPrefix("10.77.0.") && address.hasSuffix("/24") && (100...150).contains(host), "\(address)")
        #expect(lease["mtu"] as? Int == 1400)
        #expect(lease["name"] as? String == "vc")
        #expect((lease["addresses"] as? [String])?.contains(address) == true, "\(context)")
        #expect(probe.stderr.contains("DHCPACK"), "\(context)")

        let ip: (String...) async throws -> String = { arguments in
            try await self.run(ipPath, ["-n", client.name] + arguments)
        }
        let addresses = try await ip("-4", "addr", "show", "dev", "vc")
        #expect(addresses.contains("inet \(address)"), "\(addresses)")
        let link = try await ip("link", "show", "dev", "vc")
        #expect(link.contains("mtu 1400"), "\(link)")
        try await check(client.name, lease, ip)
    }

    @discardableResult
    private func run(_ executable: String, _ arguments: String...) async throws -> String {
        try await run(executable, arguments)
    }

    private func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let result = try await ChildProcess.run(URL(fileURLWithPath: executable), arguments, timeout: .seconds(30))
        guard result.status == 0 else {
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }
}

/// An empty network namespace for the DHCP client end, deleted (with its veth end) by `delete()`.
private final class ClientNamespace: Sendable {
    let name: String
    private let deleted = Mutex(false)

    init() throws {
        name = "anvil-dhcp-\(getpid())-" + UUID().uuidString.prefix(6).lowercased()
        let added = try SpawnedProcess.run(try Peer.path("ip"), ["netns", "add", name])
        guard added.succeeded else { throw TestFailure("ip netns add \(name) failed: \(added.errorText)") }
    }

    /// Idempotent, synchronous: safe from `defer` and `deinit`.
    func delete() {
        let first = deleted.withLock { done in
            defer { done = true }
            return !done
        }
        guard first, let ip = try? Peer.path("ip") else { return }
        _ = try? SpawnedProcess.run(ip, ["netns", "del", name])
    }

    deinit {
        delete()
    }
}
