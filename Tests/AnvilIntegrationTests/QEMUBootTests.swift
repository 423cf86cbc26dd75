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

    @Test func iPXEBootsTheBoundEnvironmentWhichFetchesItsPatchedConfig() async throws {
        let qemu = try Peer.path("qemu-system-x86_64")
        _ = try Peer.path("cpio")
        guard FileManager.default.fileExists(atPath: Self.kernelDirectory + "/vmlinuz") else {
            throw TestFailure("no test kernel in \(Self.kernelDirectory): run `bash Tests/Testbed/fetch-kernel.sh` (.ci/run does)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            throw TestFailure("busybox-static is not installed: .ci/run installs it")
        }

        // Both daemons on one store, on ports fixed up front: bootd renders metadatad's port.
        let bootPort = try HTTPDaemon.freeTCPPort()
        let metadataPort = try HTTPDaemon.freeTCPPort()
        let endpoint = ["--api-endpoint", "10.0.2.2", "--api-port", "\(bootPort)", "--metadata-port", "\(metadataPort)"]
        let boot = try await HTTPDaemon("bootd", port: bootPort, extraArguments: endpoint)
        let metadata = try await HTTPDaemon("metadatad", port: metadataPort, state: boot.state, extraArguments: endpoint)

        // The environment's assets: Debian's kernel and the test initramfs, downloaded and Ready.
        let environmentDirectory = boot.environmentDirectory + "/e2e"
        try FileManager.default.createDirectory(atPath: environmentDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.kernelDirectory + "/vmlinuz", toPath: environmentDirectory + "/vmlinuz")
        let build = try await ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"),
            [Self.testbed + "/make-config-initramfs.sh", Self.kernelDirectory, environmentDirectory + "/initramfs.xz"],
            timeout: .seconds(120))
        #expect(build.status == 0, "initramfs: \(build.stderr)")
        let store = boot.store
        _ = try await store.create(Environment(
            metadata: ObjectMeta(name: "e2e"),
            spec: EnvironmentSpec(kernel: Kernel(url: "file:///e2e/vmlinuz", args: ["console=ttyS0", "quiet"]), initrd: Initrd(url: "file:///e2e/initrd")),
            status: EnvironmentStatus(conditions: [
                AssetCondition(url: "file:///e2e/vmlinuz", status: "True"), AssetCondition(url: "file:///e2e/initrd", status: "True"),
            ])).resource)

        // An accepted server bound to a machine whose config the class and the server patch.
        var serverClass = ServerClass(metadata: ObjectMeta(name: "e2e-class"))
        serverClass.spec.environmentRef = ObjectReference(name: "e2e")
        serverClass.spec.configPatches = [ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/vda")]
        _ = try await store.create(serverClass.resource)
        var server = Server(metadata: ObjectMeta(name: Self.uuid))
        server.spec.accepted = true
        server.spec.configPatches = [ConfigPatch(op: .add, path: "/machine/network", value: ["hostname": "e2e-node"])]
        _ = try await store.create(server.resource)
        _ = try await store.create(Secret(
            metadata: ObjectMeta(name: "e2e-bootstrap", namespace: "default"), values: ["value": Data(Self.config.utf8)]).resource)
        var machine = MetalMachine(metadata: ObjectMeta(name: "e2e", namespace: "default"))
        machine.spec.bootstrap = MachineBootstrap(dataSecretName: "e2e-bootstrap")
        _ = try await store.create(machine.resource)
        _ = try await store.create(ServerBinding(
            metadata: ObjectMeta(name: Self.uuid),
            spec: ServerBindingSpec(
                metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "e2e"),
                serverClassRef: ObjectReference(kind: "ServerClass", name: "e2e-class"))).resource)

        let vm = try ChildProcess(URL(fileURLWithPath: qemu), [
            "-accel", "tcg", "-nographic", "-nodefaults", "-serial", "stdio", "-m", "512", "-no-reboot",
            "-smbios", "type=1,uuid=\(Self.uuid)",
            "-netdev", "user,id=n0,bootfile=http://10.0.2.2:\(bootPort)/boot.ipxe",
            "-device", "virtio-net-pci,netdev=n0", "-boot", "n",
        ])
        defer { if vm.isRunning { vm.signal(SIGKILL) } }
        let result = try await vm.wait(timeout: .seconds(300))
        let serial = result.stdout
        #expect(result.status == 0, "qemu: \(result.stderr)")

        // iPXE chained through /ipxe to the environment, with the token in the config URL.
        let token = try MachineTokenKey.loadOrCreate(stateDirectory: boot.state.url).token(for: Self.uuid)
        #expect(serial.contains("talos.config=http://10.0.2.2:\(metadataPort)/configdata?token=\(token)&uuid="), "serial:\n\(serial.suffix(4000))")
        let begin = try #require(serial.range(of: "ANVIL-CONFIG-BEGIN"), "serial:\n\(serial.suffix(4000))")
        let end = try #require(serial.range(of: "ANVIL-CONFIG-END"), "serial:\n\(serial.suffix(4000))")
        let printed = String(serial[begin.upperBound..<end.lowerBound]).replacingOccurrences(of: "\r", with: "")
        let document = try #require(try YAMLText.documents(printed).first ?? nil, "printed:\n\(printed)")
        #expect(document["machine"]?["install"]?["disk"] == "/dev/vda")
        #expect(document["machine"]?["network"]?["hostname"] == "e2e-node")
        #expect(document["machine"]?["kubelet"]?["extraArgs"]?["node-labels"] == .string("metal.sidero.dev/uuid=\(Self.uuid)"))
        #expect(document["cluster"]?["clusterName"] == "e2e")

        // Serving the environment marked the server installed; the boot is in its events.
        let booted = try Server(try await store.get(kind: "Server", name: Self.uuid))
        #expect(booted.status.condition(Server.conditionPXEBooted)?.status == "True")
        var reasons: Set<String> = []
        for _ in 0..<50 where !reasons.contains("BootEnvironment") {
            reasons = Set(try await store.events(kind: "Server", name: Self.uuid).map(\.reason))
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(reasons.contains("BootEnvironment"))
        try await metadata.stop()
        try await boot.stop()
    }
}
