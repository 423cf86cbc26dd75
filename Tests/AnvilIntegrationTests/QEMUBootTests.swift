import AnvilSpawn
import AnvilBoot
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// Real iPXE in QEMU (TCG) through bootd and metadatad: /boot.ipxe → /ipxe → the environment's
/// kernel and initramfs → the initramfs fetches /configdata with the token from its kernel
/// arguments and prints it on the serial console.
@Suite struct QEMUBootTests {
    static let uuid = "11111111-2222-3333-4444-5555555555e2"
    static let kernelDirectory = "/var/cache/anvil-testbed/kernel"
    static let config = """
        version: v1alpha1
        machine:
          type: worker
          install:
            disk: /dev/sda
        cluster:
          clusterName: e2e

        """

    /// Tests/Testbed next to this file's directory.
    static var testbed: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Testbed").path
    }

    /// Checks the peers this suite needs.
    static func requirePeers() throws -> String {
        let qemu = try Peer.path("qemu-system-x86_64")
        _ = try Peer.path("cpio")
        guard FileManager.default.fileExists(atPath: kernelDirectory + "/vmlinuz") else {
            throw TestFailure("no test kernel in \(kernelDirectory): run `bash Tests/Testbed/fetch-kernel.sh` (.ci/run does)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            throw TestFailure("busybox-static is not installed: .ci/run installs it")
        }
        return qemu
    }

    /// Builds the test initramfs at `path`.
    static func buildInitramfs(at path: String) async throws {
        let build = try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), [testbed + "/make-config-initramfs.sh", kernelDirectory, path], timeout: .seconds(120))
        guard build.status == 0 else { throw TestFailure("initramfs: \(build.stderr)") }
    }

    /// An accepted server bound to a machine whose config the class and the server patch; the
    /// class names environment `environment`.
    static func allocate(in store: Store, environment: String) async throws {
        var serverClass = ServerClass(metadata: ObjectMeta(name: "e2e-class"))
        serverClass.spec.environmentRef = ObjectReference(name: environment)
        serverClass.spec.configPatches = [ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/vda")]
        _ = try await store.seed(serverClass.resource)
        var server = Server(metadata: ObjectMeta(name: uuid))
        server.spec.accepted = true
        server.spec.configPatches = [ConfigPatch(op: .add, path: "/machine/network", value: ["hostname": "e2e-node"])]
        _ = try await store.seed(server.resource)
        _ = try await store.seed(Secret(
            metadata: ObjectMeta(name: "e2e-bootstrap", namespace: "default"), values: ["value": Data(config.utf8)]).resource)
        var machine = MetalMachine(metadata: ObjectMeta(name: "e2e", namespace: "default"))
        machine.spec.bootstrap = MachineBootstrap(dataSecretName: "e2e-bootstrap")
        _ = try await store.seed(machine.resource)
        _ = try await store.seed(ServerBinding(
            metadata: ObjectMeta(name: uuid),
            spec: ServerBindingSpec(
                metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "e2e"),
                serverClassRef: ObjectReference(kind: "ServerClass", name: "e2e-class"))).resource)
    }

    /// Network-boots the VM from `/boot.ipxe` on bootd's port and checks the config it printed,
    /// the PXEBooted mark and the boot event.
    static func bootAndCheck(qemu: String, bootPort: Int, metadataPort: Int, store: Store, state: URL) async throws {
        let vm = try ChildProcess(URL(fileURLWithPath: qemu), [
            "-accel", "tcg", "-nographic", "-nodefaults", "-serial", "stdio", "-m", "512", "-no-reboot",
            "-smbios", "type=1,uuid=\(uuid)",
            "-netdev", "user,id=n0,bootfile=http://10.0.2.2:\(bootPort)/boot.ipxe",
            "-device", "virtio-net-pci,netdev=n0", "-boot", "n",
        ])
        defer { if vm.isRunning { vm.signal(SIGKILL) } }
        let result = try await vm.wait(timeout: .seconds(300))
        let serial = result.stdout
        #expect(result.status == 0, "qemu: \(result.stderr)")

        // iPXE chained through /ipxe to the environment, with the token in the config URL.
        // The token is the server's boot attempt's, bound to the address bootd saw (slirp: 127.0.0.1).
        let attempt = try #require(try await store.bootAttempt(uuid: uuid))
        let token = try MachineTokenKey.loadOrCreate(stateDirectory: state).attemptToken(
            uuid: uuid, address: attempt.address, issuedAt: attempt.issuedAt, nonce: UInt32(attempt.nonce, radix: 16) ?? 0)
        #expect(serial.contains("talos.config=http://10.0.2.2:\(metadataPort)/configdata?token=\(token.text)&uuid="), "serial:\n\(serial.suffix(4000))")
        #expect(attempt.configFetchedAt != nil, "the VM fetched its config under its boot attempt")
        let begin = try #require(serial.range(of: "ANVIL-CONFIG-BEGIN"), "serial:\n\(serial.suffix(4000))")
        let end = try #require(serial.range(of: "ANVIL-CONFIG-END"), "serial:\n\(serial.suffix(4000))")
        let printed = String(serial[begin.upperBound..<end.lowerBound]).replacingOccurrences(of: "\r", with: "")
        let document = try #require(try YAMLText.documents(printed).first ?? nil, "printed:\n\(printed)")
        #expect(document["machine"]?["install"]?["disk"] == "/dev/vda")
        #expect(document["machine"]?["network"]?["hostname"] == "e2e-node")
        #expect(document["machine"]?["kubelet"]?["extraArgs"]?["node-labels"] == .string("metal.sidero.dev/uuid=\(uuid)"))
        #expect(document["cluster"]?["clusterName"] == "e2e")

        // Serving the environment marked the server installed; the boot is in its events.
        let booted = try Server(try await store.get(kind: "Server", name: uuid))
        #expect(booted.status.condition(Server.conditionPXEBooted)?.status == "True")
        var reasons: Set<String> = []
        for _ in 0..<50 where !reasons.contains("BootEnvironment") {
            reasons = Set(try await store.events(kind: "Server", name: uuid).map(\.reason))
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(reasons.contains("BootEnvironment"))
    }

    @Test func iPXEBootsTheBoundEnvironmentWhichFetchesItsPatchedConfig() async throws {
        let qemu = try Self.requirePeers()
        // Both daemons on one store, on ports fixed up front: bootd renders metadatad's port.
        let bootPort = try HTTPDaemon.freeTCPPort()
        let metadataPort = try HTTPDaemon.freeTCPPort()
        let endpoint = ["--api-endpoint", "10.0.2.2", "--api-port", "\(bootPort)", "--metadata-port", "\(metadataPort)"]
        let boot = try await HTTPDaemon("bootd", port: bootPort, extraArguments: endpoint)
        let metadata = try await HTTPDaemon("metadatad", port: metadataPort, state: boot.state)

        // The environment's assets placed as the asset controller would, and marked Ready.
        let environmentDirectory = boot.environmentDirectory + "/e2e"
        try FileManager.default.createDirectory(atPath: environmentDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.kernelDirectory + "/vmlinuz", toPath: environmentDirectory + "/vmlinuz")
        try await Self.buildInitramfs(at: environmentDirectory + "/initramfs.xz")
        _ = try await boot.store.seed(Environment(
            metadata: ObjectMeta(name: "e2e"),
            spec: EnvironmentSpec(kernel: Kernel(url: "file:///e2e/vmlinuz", args: ["console=ttyS0", "quiet"]), initrd: Initrd(url: "file:///e2e/initrd")),
            status: EnvironmentStatus(conditions: [
                AssetCondition(url: "file:///e2e/vmlinuz", status: "True"), AssetCondition(url: "file:///e2e/initrd", status: "True"),
            ])).resource)
        try await Self.allocate(in: boot.store, environment: "e2e")
        try await Self.bootAndCheck(qemu: qemu, bootPort: bootPort, metadataPort: metadataPort, store: boot.store, state: boot.state.url)
        try await metadata.stop()
        try await boot.stop()
    }

    /// The same boot against `anvil up` (two bootd replicas), with the reconciler fetching the
    /// environment's assets from file:// URLs and verifying their sha512.
    @Test func anvilUpServesARealVMEndToEnd() async throws {
        let qemu = try Self.requirePeers()
        let state = try TemporaryDirectory()
        let assets = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.kernelDirectory + "/vmlinuz", toPath: assets.path + "/vmlinuz")
        try await Self.buildInitramfs(at: assets.path + "/initramfs")
        let offset = Int.random(in: 9000...12999)
        let up = try ChildProcess(
            BuiltProducts.url("anvil"), ["up", "--port-offset", "\(offset)", "--bootd-replicas", "2"],
            environment: ["ANVIL_STATE": state.path, "ANVIL_API_ENDPOINT": "10.0.2.2"])
        defer { if up.isRunning { up.signal(SIGKILL) } }
        try await up.waitForOutput("daemons running", timeout: .seconds(90))
        #expect(up.stdout.contains("anvil up: 6 daemons running"), "\(up.stdout.suffix(2000))")

        let store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
        _ = try await store.seed(Environment(
            metadata: ObjectMeta(name: "e2e"),
            spec: EnvironmentSpec(
                kernel: Kernel(url: "file://\(assets.path)/vmlinuz", sha512: try await Self.sha512(assets.path + "/vmlinuz"), args: ["console=ttyS0", "quiet"]),
                initrd: Initrd(url: "file://\(assets.path)/initramfs", sha512: try await Self.sha512(assets.path + "/initramfs")))).resource)
        try await Self.allocate(in: store, environment: "e2e")
        var ready = false
        for _ in 0..<300 where !ready {
            try await Task.sleep(for: .milliseconds(100))
            let environment = try Environment(try await store.get(kind: "Environment", name: "e2e"))
            ready = (environment.status.conditions ?? []).filter { $0.status == "True" }.count == 2
        }
        #expect(ready, "the reconciler did not fetch the assets:\n\(up.stdout.suffix(3000))")
        try await Self.bootAndCheck(qemu: qemu, bootPort: 8081 + offset, metadataPort: 8082 + offset, store: store, state: state.url)
        up.signal(SIGINT)
        _ = try await up.wait(timeout: .seconds(60))
    }

    static func sha512(_ path: String) async throws -> String {
        String(try await SpawnedProcess.runInBackground("/usr/bin/sha512sum", [path]).outputText.prefix(128))
    }
}
