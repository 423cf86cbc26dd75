import AnvilResources
import Foundation

/// What a bound machine shows (docs/sidero-controllers.md §5.3 "Then, in both cases"): `serverRef` naming
/// the server, `providerID = sidero://<uuid>`, `status.addresses` = an InternalIP per binding
/// address plus the Hostname, `status.ready`, the binding's conditions copied, and
/// `ServerAllocated=True`.
enum BoundMachineState {
    static func providerID(server: String) -> String { "sidero://\(server)" }

    static func apply(_ binding: ServerBinding, to machine: inout MetalMachine, now: Date = Date()) {
        let server = binding.metadata.name
        if machine.spec.serverRef?.name != server {
            machine.spec.serverRef = ObjectReference(kind: Server.resourceKind.kind, name: server)
        }
        machine.spec.providerID = providerID(server: server)
        machine.status.addresses = addresses(of: binding)
        machine.status.ready = true
        for condition in binding.status.conditions ?? [] {
            MachineConditions.set(condition, in: &machine.status.conditions, now: now)
        }
        MachineConditions.set(MachineConditions.allocated(server: server), in: &machine.status.conditions, now: now)
    }

    static func addresses(of binding: ServerBinding) -> [NodeAddress]? {
        var addresses = (binding.spec.addresses ?? []).map { NodeAddress(type: "InternalIP", address: $0) }
        if let hostname = binding.spec.hostname, !hostname.isEmpty {
            addresses.append(NodeAddress(type: "Hostname", address: hostname))
        }
        return addresses.isEmpty ? nil : addresses
    }
}
