import AnvilResources
import AnvilStore
import Foundation
import Testing

/// bootd as a process on loopback, its store filled by the test: every /ipxe branch, assets,
/// bad input, events and PXEBooted.
@Suite struct BootdTests {
    static let uuid = "4c4c4544-0000-1000-8000-0000000000a1"

    func ipxe(_ boot: HTTPDaemon, uuid: String = Self.uuid, extra: String = "&mac=52-54-00-12-34-56&arch=x86_64") async throws -> (status: Int, body: String) {
        try await HTTPGet.fetch("\(boot.baseURL)/ipxe?uuid=\(uuid)\(extra)")
    }

    func bind(_ boot: HTTPDaemon, serverClass: String? = nil) async throws {
        let spec = ServerBindingSpec(
            metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m1"),
            serverClassRef: serverClass.map { ObjectReference(kind: "ServerClass", name: $0) })
        _ = try await boot.store.seed(ServerBinding(metadata: ObjectMeta(name: Self.uuid), spec: spec).resource)
    }

    func createServer(_ boot: HTTPDaemon, _ configure: (inout Server) -> Void = { _ in }) async throws {
        var server = Server(metadata: ObjectMeta(name: Self.uuid))
        server.spec.accepted = true
        configure(&server)
        _ = try await boot.store.seed(server.resource)
    }

    /// An environment whose assets are on disk and marked Ready for the current spec.
    func readyEnvironment(_ boot: HTTPDaemon, name: String, args: [String] = ["console=ttyS0"], kernel: [UInt8] = Array("kernel".utf8)) async throws {
        let spec = EnvironmentSpec(
            kernel: Kernel(url: "file:///k/\(name)", args: args), initrd: Initrd(url: "file:///i/\(name)"))
        let status = EnvironmentStatus(conditions: [
            AssetCondition(url: "file:///k/\(name)", status: "True"), AssetCondition(url: "file:///i/\(name)", status: "True"),
        ])
        _ = try await boot.store.seed(Environment(metadata: ObjectMeta(name: name), spec: spec, status: status).resource)
        let directory = boot.environmentDirectory + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(kernel).write(to: URL(fileURLWithPath: directory + "/vmlinuz"))
        try Data("initrd".utf8).write(to: URL(fileURLWithPath: directory + "/initramfs.xz"))
    }

    @Test func unknownAndUnboundServersGetTheAgentWithTheirToken() async throws {
        let boot = try await HTTPDaemon()
        let unknown = try await ipxe(boot)
        #expect(unknown.status == 200)
        #expect(unknown.body.hasPrefix("#!ipxe\nkernel /env/agent-amd64/vmlinuz console=tty0 console=ttyS0 initrd=initramfs.xz panic=30 sidero.endpoint=127.0.0.1:8082 anvil.endpoint=127.0.0.1:8082 sidero.mac=52:54:00:12:34:56 anvil.token="))
        #expect(unknown.body.contains("initrd /env/agent-arm64/initramfs.xz") == false)
        let arm = try await ipxe(boot, extra: "&arch=arm64")
        #expect(arm.body.contains("initrd /env/agent-arm64/initramfs.xz"))

        try await createServer(boot)
        #expect(try await ipxe(boot).body.contains("/env/agent-amd64/vmlinuz"))
        try await boot.stop()
    }

    @Test func boundServerBootsItsEnvironmentThenTheDisk() async throws {
        let boot = try await HTTPDaemon()
        try await createServer(boot)
        try await bind(boot)
        let missing = try await ipxe(boot)
        #expect(missing.status == 404)
        #expect(missing.body == "environment \"default\" not found\n")

        _ = try await boot.store.seed(Environment(
            metadata: ObjectMeta(name: "default"),
            spec: EnvironmentSpec(kernel: Kernel(url: "https://example.invalid/vmlinuz"), initrd: Initrd(url: "https://example.invalid/initrd"))).resource)
        let notReady = try await ipxe(boot)
        #expect(notReady.status == 412)
        #expect(notReady.body == "environment \"default\" is not ready\n")

        _ = try await boot.store.delete(kind: "Environment", name: "default")
        try await readyEnvironment(boot, name: "default", args: ["console=ttyS0", "talos.platform=metal"])
        let served = try await ipxe(boot)
        #expect(served.status == 200)
        let kernelLine = try #require(served.body.split(separator: "\n").first { $0.hasPrefix("kernel ") })
        #expect(kernelLine.hasPrefix("kernel /env/default/vmlinuz console=ttyS0 talos.platform=metal talos.config=http://127.0.0.1:8082/configdata?token="))
        #expect(kernelLine.contains("&uuid= anvil.token="))
        #expect(served.body.hasSuffix("initrd /env/default/initramfs.xz\nboot\n"))

        // Serving the target environment marked the server installed: next boot is from disk.
        let server = try Server(try await boot.store.get(kind: "Server", name: Self.uuid))
        #expect(server.status.condition(Server.conditionPXEBooted)?.status == "True")
        #expect(try await ipxe(boot).body == "#!ipxe\nexit\n")
        try await boot.stop()
    }

    @Test func environmentAndDiskMethodFollowServerThenClass() async throws {
        let boot = try await HTTPDaemon()
        try await readyEnvironment(boot, name: "from-class")
        try await readyEnvironment(boot, name: "from-server")
        var serverClass = ServerClass(metadata: ObjectMeta(name: "workers"))
        serverClass.spec.environmentRef = ObjectReference(name: "from-class")
        serverClass.spec.bootFromDiskMethod = .http404
        _ = try await boot.store.seed(serverClass.resource)
        try await createServer(boot)
        try await bind(boot, serverClass: "workers")
        #expect(try await ipxe(boot).body.contains("kernel /env/from-class/vmlinuz"))
        // Now PXEBooted: the class's method.
        let disk = try await ipxe(boot)
        #expect(disk.status == 404)
        #expect(disk.body.contains("boot-from-disk method http-404"))

        _ = try await boot.store.mutate(kind: "Server", name: Self.uuid) { resource in
            var server = try Server(resource)
            server.spec.environmentRef = ObjectReference(name: "from-server")
            server.spec.pxeBootAlways = true
            resource = server.resource
        }
        #expect(try await ipxe(boot).body.contains("kernel /env/from-server/vmlinuz"))
        _ = try await boot.store.mutate(kind: "Server", name: Self.uuid) { resource in
            var server = try Server(resource)
            server.spec.pxeBootAlways = false
            server.spec.bootFromDiskMethod = .ipxeSanboot
            resource = server.resource
        }
        #expect(try await ipxe(boot).body == "#!ipxe\nsanboot --no-describe --drive 0x80\n")
        try await boot.stop()
    }

    @Test func badInputIsAnsweredWithTheReason() async throws {
        let boot = try await HTTPDaemon()
        #expect(try await HTTPGet.fetch("\(boot.baseURL)/ipxe").body == "missing uuid: the chain URL must carry uuid=${uuid}\n")
        let badUUID = try await ipxe(boot, uuid: "1234")
        #expect(badUUID.status == 400)
        #expect(badUUID.body.contains("malformed uuid \"1234\""))
        let badMAC = try await ipxe(boot, extra: "&mac=52-54-00")
        #expect(badMAC.status == 400)
        #expect(badMAC.body.contains("malformed mac"))
        #expect(try await HTTPGet.fetch("\(boot.baseURL)/ipxe?uuid=%zz").status == 400)
        #expect(try await HTTPGet.exchange("\(boot.baseURL)/ipxe", method: "POST").status == 405)
        for path in ["/env/..%2F..%2Fetc/vmlinuz", "/env/a%2Fb/vmlinuz", "/env/%00/vmlinuz"] {
            #expect(try await HTTPGet.fetch(boot.baseURL + path).status == 400, "\(path)")
        }
        #expect(try await HTTPGet.fetch(boot.baseURL + "/env/default/passwd").status == 404)
        for path in ["/tftp/..%2F..%2Fetc%2Fpasswd", "/tftp/%2Fetc%2Fpasswd", "/tftp/a%5Cb"] {
            #expect(try await HTTPGet.fetch(boot.baseURL + path).status == 403, "\(path)")
        }
        #expect(try await HTTPGet.fetch(boot.baseURL + "/nothing").status == 404)
        try await boot.stop()
    }

    @Test func assetsAreServedWithRangesValidatorsAndReadiness() async throws {
        let boot = try await HTTPDaemon()
        let kernel = (0..<300_000).map { UInt8($0 % 253) }
        try await readyEnvironment(boot, name: "talos", kernel: kernel)
        let whole = try await HTTPGet.exchange("\(boot.baseURL)/env/talos/vmlinuz")
        #expect(whole.status == 200)
        #expect(whole.body == Data(kernel))
        let part = try await HTTPGet.exchange("\(boot.baseURL)/env/talos/vmlinuz", headers: ["Range": "bytes=1000-1999"])
        #expect(part.status == 206)
        #expect(part.body == Data(kernel[1000..<2000]))
        let head = try await HTTPGet.exchange("\(boot.baseURL)/env/talos/vmlinuz", method: "HEAD")
        #expect(head.headers["content-length"] == "300000")
        let etag = try #require(head.headers["etag"])
        #expect(try await HTTPGet.exchange("\(boot.baseURL)/env/talos/vmlinuz", headers: ["If-None-Match": etag]).status == 304)

        // A spec change (new URL) makes the downloaded file stale until the controller re-fetches it.
        _ = try await boot.store.mutate(kind: "Environment", name: "talos") { resource in
            var environment = try Environment(resource)
            environment.spec.kernel?.url = "file:///k/newer"
            resource = environment.resource
        }
        let stale = try await HTTPGet.fetch("\(boot.baseURL)/env/talos/vmlinuz")
        #expect(stale.status == 404)
        #expect(stale.body.contains("environment \"talos\" has no ready vmlinuz"))
        let unknown = try await HTTPGet.fetch("\(boot.baseURL)/env/nope/initramfs.xz")
        #expect(unknown.body == "environment \"nope\" not found\n")

        // The agent's assets come from the agent directory.
        let agentMissing = try await HTTPGet.fetch("\(boot.baseURL)/env/agent-amd64/vmlinuz")
        #expect(agentMissing.status == 404)
        #expect(agentMissing.body.contains(boot.agentDirectory + "/agent-amd64"))
        try FileManager.default.createDirectory(atPath: boot.agentDirectory + "/agent-amd64", withIntermediateDirectories: true)
        try Data("agent kernel".utf8).write(to: URL(fileURLWithPath: boot.agentDirectory + "/agent-amd64/vmlinuz"))
        #expect(try await HTTPGet.fetch("\(boot.baseURL)/env/agent-amd64/vmlinuz").body == "agent kernel")

        // /tftp/ is the boot file root.
        try Data("chain".utf8).write(to: URL(fileURLWithPath: boot.tftpRoot + "/boot.txt"))
        #expect(try await HTTPGet.fetch("\(boot.baseURL)/tftp/boot.txt").body == "chain")
        try await boot.stop()
    }

    @Test func everyDecisionIsABootEventOfTheServer() async throws {
        let boot = try await HTTPDaemon()
        _ = try await ipxe(boot)
        _ = try await ipxe(boot)
        var events: [Event] = []
        for _ in 0..<100 {
            events = try await boot.store.events(kind: "Server", name: Self.uuid)
            if events.contains(where: { $0.count == 2 }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let event = try #require(events.first)
        #expect(event.reason == "BootAgent")
        #expect(event.count == 2)
        #expect(event.message.contains("unknown server"))
        #expect(event.message.contains("mac 52:54:00:12:34:56"))
        try await boot.stop()
    }

    @Test func tokensCanBeTurnedOffForSideroIdenticalURLs() async throws {
        let boot = try await HTTPDaemon(extraArguments: ["--machine-tokens", "false"])
        try await createServer(boot)
        try await bind(boot)
        try await readyEnvironment(boot, name: "default", args: [])
        let script = try await ipxe(boot).body
        #expect(script.contains("kernel /env/default/vmlinuz talos.config=http://127.0.0.1:8082/configdata?uuid=\n"))
        #expect(!script.contains("token"))
        try await boot.stop()
    }

    @Test func replicasShareThePortAndSurviveOneBeingKilled() async throws {
        let boot = try await HTTPDaemon(replicas: 3)
        let url = "\(boot.baseURL)/boot.ipxe"
        for _ in 0..<20 { #expect(try await HTTPGet.fetch(url).status == 200) }
        // Load from several clients while one replica dies.
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var failed = 0
                    for _ in 0..<100 {
                        if (try? await HTTPGet.fetch(url))?.status != 200 { failed += 1 }
                    }
                    return failed
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            boot.children[1].signal(SIGKILL)
            return try await group.reduce(0, +)
        }
        // Connections queued on the killed listener may be reset; everything after is answered.
        #expect(failures <= 20, "failures during the kill: \(failures)")
        for _ in 0..<50 { #expect(try await HTTPGet.fetch(url).status == 200) }
        _ = try await boot.children[1].wait(timeout: .seconds(10))
        try await boot.stop()
    }
}
