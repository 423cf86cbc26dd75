import AnvilBoot
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// Fills a state directory for the bootd/metadatad benchmark (Benchmarks/boot/run.py): N Servers,
/// one of them bound (class + environment + machine + bootstrap Secret, three config patches),
/// and the environment's assets on disk. Prints the bound UUID and its machine token as JSON.
struct BootSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-boot", abstract: "Internal: seed a state directory for the boot benchmark.", shouldDisplay: false)

    @Option(help: "State directory.") var state: String
    @Option(help: "Servers to create.") var servers = 10000
    @Option(help: "Size of the environment's vmlinuz in MiB.") var assetMiB = 16

    func run() async throws {
        let directory = URL(fileURLWithPath: state, isDirectory: true)
        let store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: servers, by: 4) {
                        _ = try await store.seed(BenchObjects.server(index: index))
                    }
                }
            }
            try await group.waitForAll()
        }
        let uuid = String(format: "00000000-0000-4000-8000-%012ld", servers / 2)
        _ = try await store.mutate(kind: "Server", name: uuid) { resource in
            var server = try Server(resource)
            server.spec.accepted = true
            server.spec.configPatches = [
                ConfigPatch(op: .add, path: "/machine/network", value: ["hostname": "bench-node"]),
                ConfigPatch(op: .replace, path: "/cluster/clusterName", value: "bench"),
            ]
            resource = server.resource
        }
        let environment = "bench"
        let assetDirectory = directory.appendingPathComponent("env/\(environment)")
        try FileManager.default.createDirectory(at: assetDirectory, withIntermediateDirectories: true)
        let kernel = Data((0..<(assetMiB << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
        try kernel.write(to: assetDirectory.appendingPathComponent("vmlinuz"))
        try Data(repeating: 7, count: 1 << 20).write(to: assetDirectory.appendingPathComponent("initramfs.xz"))
        _ = try await store.seed(Environment(
            metadata: ObjectMeta(name: environment),
            spec: EnvironmentSpec(kernel: Kernel(url: "file:///bench/vmlinuz", args: ["console=ttyS0", "talos.platform=metal"]),
                                  initrd: Initrd(url: "file:///bench/initrd")),
            status: EnvironmentStatus(conditions: [
                AssetCondition(url: "file:///bench/vmlinuz", status: "True"), AssetCondition(url: "file:///bench/initrd", status: "True"),
            ])).resource)
        var serverClass = ServerClass(metadata: ObjectMeta(name: "bench"))
        serverClass.spec.environmentRef = ObjectReference(name: environment)
        serverClass.spec.configPatches = [ConfigPatch(op: .replace, path: "/machine/install/disk", value: "/dev/vda")]
        _ = try await store.seed(serverClass.resource)
        let config = """
            version: v1alpha1
            machine:
              type: worker
              token: abcdef.0123456789abcdef
              install:
                disk: /dev/sda
                image: ghcr.io/siderolabs/installer:v1.7.0
              kubelet:
                extraArgs:
                  node-labels: rack=r1
            cluster:
              clusterName: demo
              controlPlane:
                endpoint: https://10.0.0.1:6443

            """
        _ = try await store.seed(Secret(
            metadata: ObjectMeta(name: "bench-bootstrap", namespace: "default"), values: ["value": Data(config.utf8)]).resource)
        var machine = MetalMachine(metadata: ObjectMeta(name: "bench", namespace: "default"))
        machine.spec.bootstrap = MachineBootstrap(dataSecretName: "bench-bootstrap")
        _ = try await store.seed(machine.resource)
        _ = try await store.seed(ServerBinding(
            metadata: ObjectMeta(name: uuid),
            spec: ServerBindingSpec(
                metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "bench"),
                serverClassRef: ObjectReference(kind: "ServerClass", name: "bench"))).resource)
        // No token: a boot-attempt token fetches the config once (docs/security.md); the benchmark
        // runs metadatad with --machine-tokens false to measure serving it.
        print("{\"uuid\": \"\(uuid)\", \"environment\": \"\(environment)\"}")
    }
}
