import AnvilResources
import AnvilStore
import Foundation

/// What `/configdata` renders, gathered from the store: ServerBinding → MetalMachine →
/// bootstrap Secret `value`, plus the patches of the binding's ServerClass and of the Server.
struct ConfigDataInputs: Sendable {
    var config: String
    var classPatches: [ConfigPatch]
    var className: String?
    var serverPatches: [ConfigPatch]
}

/// Why there is nothing to render: a 404 whose message says which link is missing.
struct ConfigDataUnavailable: Error {
    let message: String
}

/// Reads every link in one store snapshot, so the config and its patches always belong together.
struct ConfigDataSource: Sendable {
    let store: Store

    func inputs(uuid: String) async throws -> ConfigDataInputs {
        try await store.snapshot { snapshot in try Self.inputs(uuid: uuid, in: snapshot) }
    }

    static func inputs(uuid: String, in store: StoreSnapshot) throws -> ConfigDataInputs {
        guard let binding = try store.find(kind: ResourceKinds.serverBinding.kind, name: uuid).map(ServerBinding.init) else {
            throw ConfigDataUnavailable(message: "server \(uuid) is not allocated (no ServerBinding)")
        }
        let machineRef = binding.spec.metalMachineRef
        let namespace = machineRef.namespace ?? "default"
        guard let machineName = machineRef.name, !machineName.isEmpty,
              let machine = try store.find(kind: ResourceKinds.metalMachine.kind, namespace: namespace, name: machineName).map(MetalMachine.init)
        else {
            throw ConfigDataUnavailable(message: "MetalMachine \(namespace)/\(machineRef.name ?? "") of server \(uuid) not found")
        }
        guard let secretName = machine.spec.bootstrap?.dataSecretName, !secretName.isEmpty else {
            throw ConfigDataUnavailable(message: "MetalMachine \(namespace)/\(machineName) has no bootstrap.dataSecretName: no config for server \(uuid)")
        }
        guard let secret = try store.find(kind: ResourceKinds.secret.kind, namespace: namespace, name: secretName).map(Secret.init) else {
            throw ConfigDataUnavailable(message: "bootstrap Secret \(namespace)/\(secretName) of server \(uuid) not found")
        }
        guard let data = secret.value(forKey: MachineBootstrap.dataKey) else {
            throw ConfigDataUnavailable(message: "bootstrap Secret \(namespace)/\(secretName) has no key \"\(MachineBootstrap.dataKey)\"")
        }
        guard let config = String(data: data, encoding: .utf8) else {
            throw ConfigDataUnavailable(message: "bootstrap Secret \(namespace)/\(secretName) key \"\(MachineBootstrap.dataKey)\" is not UTF-8 text")
        }
        let server = try store.find(kind: ResourceKinds.server.kind, name: uuid).map(Server.init)
        var classPatches: [ConfigPatch] = []
        let className = binding.spec.serverClassRef?.name
        if let className, !className.isEmpty,
           let serverClass = try store.find(kind: ResourceKinds.serverClass.kind, name: className).map(ServerClass.init) {
            classPatches = serverClass.spec.configPatches ?? []
        }
        return ConfigDataInputs(
            config: config, classPatches: classPatches, className: className, serverPatches: server?.spec.configPatches ?? [])
    }
}
