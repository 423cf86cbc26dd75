import AnvilBoot
import AnvilResources
import AnvilStore

/// Everything `/ipxe` decides on, read in one store snapshot: the Server, its ServerBinding, the
/// binding's ServerClass, the decision, and the Environment it names.
struct BootState: Sendable {
    var server: Server?
    var target: BootTarget
    /// The Environment of an `.environment` target, when it exists.
    var environment: Environment?
}

struct BootStateReader: Sendable {
    let store: Store

    func state(uuid: String, defaultDiskMethod: BootFromDiskMethod) async throws -> BootState {
        try await store.snapshot { snapshot in
            let server = try snapshot.find(kind: ResourceKinds.server.kind, name: uuid).map(Server.init)
            var binding: ServerBinding?
            var serverClass: ServerClass?
            if server != nil {
                binding = try snapshot.find(kind: ResourceKinds.serverBinding.kind, name: uuid).map(ServerBinding.init)
                if let className = binding?.spec.serverClassRef?.name, !className.isEmpty {
                    serverClass = try snapshot.find(kind: ResourceKinds.serverClass.kind, name: className).map(ServerClass.init)
                }
            }
            let target = BootDecision.target(
                server: server, binding: binding, serverClass: serverClass, defaultDiskMethod: defaultDiskMethod)
            var environment: Environment?
            if case .environment(let name) = target {
                environment = try snapshot.find(kind: ResourceKinds.environment.kind, name: name).map(Environment.init)
            }
            return BootState(server: server, target: target, environment: environment)
        }
    }

    func environment(_ name: String) async throws -> Environment? {
        try await store.find(kind: ResourceKinds.environment.kind, name: name).map(Environment.init)
    }
}
