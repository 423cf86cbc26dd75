import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation
import Logging
import NIOCore
import Prometheus
@testable import BootdCore

/// A fresh state directory with a validating store, removed afterwards.
func withTemporaryStore(_ body: (Store, URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("bootd-core-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate)
    try await body(store, directory)
}

/// bootd's settings as the daemon resolves them, with its state in `state` and tokens off unless asked.
func bootdSettings(state: URL, _ arguments: [String] = []) throws -> BootdSettings {
    let source = SettingSource(environment: [:], currentDirectory: "/srv")
    let options = try BootdOptions.parse(["--machine-tokens", "false", "--api-endpoint", "192.0.2.1"] + arguments)
    let config = try DaemonConfig(descriptor: .bootd, options: DaemonOptions.parse(["--state", state.path]), source: source)
    return try BootdSettings(options: options, config: config, source: source)
}

/// An `/ipxe` handler over `store`; only ``IPXEHandler/answer(_:state:)`` is exercised.
func ipxeHandler(settings: BootdSettings, store: Store) -> IPXEHandler {
    let logger = Logger(label: "bootd-core-tests")
    return IPXEHandler(
        settings: settings, reader: BootStateReader(store: store),
        issuer: settings.tokenKey.map { BootTokenIssuer(key: $0, policy: settings.tokens, store: store) }, marker: PXEBootedMarker(store: store, logger: logger),
        events: EventBatchRecorder(store: store, source: "bootd", logger: logger),
        metrics: BootMetrics(registry: PrometheusCollectorRegistry()), logger: logger, answers: StoreReadCache(store: store))
}

enum BootFixtures {
    static let uuid = "4c4c4544-0000-1000-8000-0000000000c1"

    static func server(pxeBooted: Bool = false, environment: String? = nil, method: BootFromDiskMethod? = nil) -> Server {
        var server = Server(metadata: ObjectMeta(name: uuid))
        server.spec.accepted = true
        server.spec.environmentRef = environment.map { ObjectReference(name: $0) }
        server.spec.bootFromDiskMethod = method
        if pxeBooted { server.status.conditions = [Condition(type: Server.conditionPXEBooted, status: "True")] }
        return server
    }

    static func binding(serverClass: String? = nil) -> ServerBinding {
        ServerBinding(
            metadata: ObjectMeta(name: uuid),
            spec: ServerBindingSpec(
                metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m1"),
                serverClassRef: serverClass.map { ObjectReference(kind: "ServerClass", name: $0) }))
    }

    static let kernelURL = "http://mirror.example/vmlinuz"
    static let initrdURL = "http://mirror.example/initramfs.xz"

    /// An Environment with both assets, ready (as the reconciler leaves it) or not.
    static func environment(_ name: String, ready: Bool, args: [String] = ["console=ttyS0"]) -> Environment {
        var environment = Environment(
            metadata: ObjectMeta(name: name),
            spec: EnvironmentSpec(kernel: Kernel(url: kernelURL, args: args), initrd: Initrd(url: initrdURL)))
        if ready {
            environment.status.conditions = [
                AssetCondition(url: kernelURL, status: "True"), AssetCondition(url: initrdURL, status: "True"),
            ]
        }
        return environment
    }
}

extension BootAnswer {
    /// The response body as text (scripts and error lines are small byte buffers).
    var body: String {
        guard case .bytes(let buffer) = response.body else { return "" }
        return String(buffer: buffer)
    }

    var statusCode: UInt { response.status.code }
}
