import AnvilBoot
import AnvilResources
import AnvilStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The machine-identity defences of docs/security.md with real bootd and metadatad processes: a
/// second client (another loopback address, curl --interface) trying to get a bound server's
/// token or config, and two machines registering with one SMBIOS UUID.
@Suite struct MachineIdentityTests {
    static let uuid = "4c4c4544-0000-1000-8000-0000000000d1"
    static let mac = "52:54:00:aa:00:01"
    static let attacker = "127.0.0.2"

    /// `curl` from `source` (a loopback address): status and body.
    static func curl(_ url: String, from source: String = "127.0.0.1") async throws -> (status: Int, body: String) {
        let result = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/curl"), ["-sS", "--interface", source, "-m", "10", "-w", "\n%{http_code}", url])
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// A bound server (NIC known from discovery) with a ready Environment and its bootstrap config.
    static func allocate(_ store: Store) async throws {
        var environment = Environment(
            metadata: ObjectMeta(name: "talos"),
            spec: EnvironmentSpec(kernel: Kernel(url: "http://127.0.0.1:1/vmlinuz", args: ["console=ttyS0"]), initrd: Initrd(url: "http://127.0.0.1:1/initramfs.xz")))
        environment = try Environment(try await store.create(environment.resource))
        environment.status.conditions = [
            AssetCondition(url: "http://127.0.0.1:1/vmlinuz", status: "True"), AssetCondition(url: "http://127.0.0.1:1/initramfs.xz", status: "True"),
        ]
        _ = try await store.updateStatus(environment.resource)
        var server = Server(metadata: ObjectMeta(name: uuid))
        server.spec.accepted = true
        server.spec.environmentRef = ObjectReference(name: "talos")
        server.spec.hardware = HardwareInformation(network: NetworkInformation(interfaces: [NetworkInterface(name: "eth0", mac: mac)]))
        _ = try await store.create(server.resource)
        _ = try await store.create(Secret(
            metadata: ObjectMeta(name: "m1-bootstrap", namespace: "default"), values: ["value": Data("machine:\n  type: worker\n".utf8)]).resource)
        var machine = MetalMachine(metadata: ObjectMeta(name: "m1", namespace: "default"))
        machine.spec.bootstrap = MachineBootstrap(dataSecretName: "m1-bootstrap")
        _ = try await store.create(machine.resource)
        _ = try await store.create(ServerBinding(
            metadata: ObjectMeta(name: uuid),
            spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m1"))).resource)
    }

    static func reasons(_ store: Store, until wanted: Set<String>) async throws -> Set<String> {
        var reasons: Set<String> = []
        for _ in 0..<50 where !wanted.isSubset(of: reasons) {
            reasons = Set(try await store.events(kind: "Server", name: uuid).map(\.reason))
            try await Task.sleep(for: .milliseconds(100))
        }
        return reasons
    }

    @Test func aSecondClientGetsNoUsableTokenAndASecondConfigFetchFailsLoudly() async throws {
        let boot = try await HTTPDaemon("bootd", extraArguments: ["--machine-tokens", "true", "--mark-pxebooted", "on-install-report"])
        let metadata = try await HTTPDaemon("metadatad", state: boot.state)
        try await Self.allocate(boot.store)
        let ipxe = "\(boot.baseURL)/ipxe?uuid=\(Self.uuid)&mac=\(Self.mac)&arch=x86_64"

        // The server asks first and gets its install script with a token bound to its address.
        let served = try await Self.curl(ipxe)
        #expect(served.status == 200, "\(served.body)")
        let token = try #require(served.body.split(whereSeparator: { $0 == " " || $0 == "\n" })
            .first { $0.hasPrefix("anvil.token=") }.map { String($0.dropFirst("anvil.token=".count)) })
        #expect(try await Self.curl(ipxe).body == served.body, "iPXE asking again gets the same attempt")

        // Another address asking for the bound UUID — with its MAC or another — gets no token.
        let stolenBoot = try await Self.curl(ipxe, from: Self.attacker)
        #expect(stolenBoot.status == 403 && !stolenBoot.body.contains("anvil.token"), "\(stolenBoot.body)")
        #expect(stolenBoot.body.contains("install boot refused: 127.0.0.1"), "\(stolenBoot.body)")
        let foreignMAC = try await Self.curl("\(boot.baseURL)/ipxe?uuid=\(Self.uuid)&mac=52:54:00:66:66:66&arch=x86_64", from: Self.attacker)
        #expect(foreignMAC.status == 403 && foreignMAC.body.contains("none of server"), "\(foreignMAC.body)")

        // The token copied off the wire is no use from the other address.
        let configURL = "\(metadata.baseURL)/configdata?token=\(token)&uuid=\(Self.uuid)"
        let stolenConfig = try await Self.curl(configURL, from: Self.attacker)
        #expect(stolenConfig.status == 403 && stolenConfig.body.contains("not issued to this server at this address"), "\(stolenConfig.body)")

        // The server fetches its config once; a second fetch (a thief who won a race, say) is refused and recorded.
        let config = try await Self.curl(configURL)
        #expect(config.status == 200 && config.body.contains("type: worker"), "\(config.body)")
        let twice = try await Self.curl(configURL)
        #expect(twice.status == 409 && twice.body.contains("fetched twice in one boot attempt"), "\(twice.body)")

        let wanted: Set<String> = ["BootAttemptConflict", "UnknownMAC", "ConfigFetchedTwice"]
        let reasons = try await Self.reasons(boot.store, until: wanted)
        #expect(wanted.isSubset(of: reasons), "\(reasons)")
        try await metadata.stop()
        try await boot.stop()
    }

    @Test func twoMachinesWithOneUUIDAreAConflictNotAMerge() async throws {
        let metadata = try await HTTPDaemon("metadatad", extraArguments: ["--auto-accept-servers", "true", "--machine-tokens", "false"])
        func register(serial: String, mac: String) async throws -> (status: Int, body: String) {
            var request = URLRequest(url: URL(string: "\(metadata.baseURL)/api/v1/register")!)
            request.httpMethod = "POST"
            request.httpBody = Data("""
                {"uuid": "\(Self.uuid)", "hardware": {"system": {"manufacturer": "Supermicro", "serialNumber": "\(serial)"},
                 "network": {"interfaces": [{"name": "eth0", "mac": "\(mac)"}]}}}
                """.utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        #expect(try await register(serial: "S1", mac: "52:54:00:aa:00:01").status == 200)
        // The same machine again (a NIC swapped: same serial) is fine.
        #expect(try await register(serial: "S1", mac: "52:54:00:aa:00:09").status == 200)
        let other = try await register(serial: "S2", mac: "52:54:00:bb:00:01")
        #expect(other.status == 409 && other.body.contains("another machine registered with this UUID"), "\(other.body)")
        let server = try Server(try await metadata.store.get(kind: "Server", name: Self.uuid))
        #expect(server.spec.hardware?.system?.serialNumber == "S1", "the first machine's inventory is kept")
        #expect(server.status.condition("IdentityConflict")?.status == "True")
        #expect(try await Self.reasons(metadata.store, until: ["IdentityConflict"]).contains("IdentityConflict"))
        try await metadata.stop()
    }

    /// Found by the simulator's duplicate-UUID fault (docs/simulator.md): two machines with one
    /// UUID registering at the same moment got a 500 (both created it) or were both accepted (both
    /// passed the check before either wrote). Each round: exactly one 200 and one 409.
    @Test func twoMachinesRegisteringOneUUIDAtOnceGetOneAnswerEach() async throws {
        let metadata = try await HTTPDaemon("metadatad", extraArguments: ["--auto-accept-servers", "true", "--machine-tokens", "false"])
        let base = metadata.baseURL
        @Sendable func register(_ uuid: String, serial: String, mac: String) async throws -> Int {
            var request = URLRequest(url: URL(string: "\(base)/api/v1/register")!)
            request.httpMethod = "POST"
            request.httpBody = Data("""
                {"uuid": "\(uuid)", "hardware": {"system": {"manufacturer": "Supermicro", "serialNumber": "\(serial)"},
                 "network": {"interfaces": [{"name": "eth0", "mac": "\(mac)"}]}}}
                """.utf8)
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        for round in 0..<20 {
            let uuid = String(format: "5e1f0000-0000-4000-8000-%012d", round)
            if round % 2 == 1 {
                // Created beforehand without inventory, as `anvil-sim --create-servers` does.
                _ = try await metadata.store.create(Server(metadata: ObjectMeta(name: uuid)).resource)
            }
            async let first = register(uuid, serial: "A\(round)", mac: "52:54:00:aa:01:\(String(format: "%02x", round))")
            async let second = register(uuid, serial: "B\(round)", mac: "52:54:00:bb:01:\(String(format: "%02x", round))")
            let statuses = try await [first, second].sorted()
            #expect(statuses == [200, 409], "round \(round) (\(round % 2 == 1 ? "created beforehand" : "new")): \(statuses)")
        }
        try await metadata.stop()
    }
}
