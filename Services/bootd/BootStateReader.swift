import AnvilResources
import AnvilStore

/// Reads what `/ipxe` decides on: the Server, its ServerBinding and the binding's ServerClass.
struct BootState: Sendable {
    var server: Server?
    var binding: ServerBinding?
    var serverClass: ServerClass?
}

struct BootStateReader: Sendable {
    let store: Store

    func state(uuid: String) async throws -> BootState {
        guard let server = try await store.find(kind: ResourceKinds.server.kind, name: uuid).map(Server.init) else {
            return BootState()
        }
        guard let binding = try await store.find(kind: ResourceKinds.serverBinding.kind, name: uuid).map(ServerBinding.init) else {
            return BootState(server: server)
        }
        var serverClass: ServerClass?
        if let className = binding.spec.serverClassRef?.name, !className.isEmpty {
            serverClass = try await store.find(kind: ResourceKinds.serverClass.kind, name: className).map(ServerClass.init)
        }
        return BootState(server: server, binding: binding, serverClass: serverClass)
    }

    func environment(_ name: String) async throws -> Environment? {
        try await store.find(kind: ResourceKinds.environment.kind, name: name).map(Environment.init)
    }
}
