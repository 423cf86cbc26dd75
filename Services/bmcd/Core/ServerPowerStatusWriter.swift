import AnvilDaemon
import AnvilPower
import AnvilResources
import AnvilStore
import Foundation

/// Brings what a command learned to the Server's status: `power` (on/off, or unknown after an
/// error) and the `BMCReady` condition, whose reason names the failure (Unreachable,
/// AuthenticationFailed, InsufficientPrivilege, NotSupported…). Writes only on change.
struct ServerPowerStatusWriter: Sendable {
    static let conditionType = Server.conditionBMCReady
    let store: Store

    func succeeded(server: String, power: PowerState?) async {
        await update(server) { status in
            var changed = false
            if let power, status.power != power {
                status.power = power
                changed = true
            }
            if status.condition(Self.conditionType)?.status != "True" {
                status.setCondition(Condition(
                    type: Self.conditionType, status: "True", lastTransitionTime: Timestamp.rfc3339(Date()), reason: "Reachable",
                    message: "bmcd reached the BMC"))
                changed = true
            }
            return changed
        }
    }

    func failed(server: String, error: PowerError) async {
        // A caller's deadline says nothing about the BMC.
        if case .deadlineExceeded = error { return }
        await update(server) { status in
            var changed = false
            if status.power != .unknown {
                status.power = .unknown
                changed = true
            }
            let current = status.condition(Self.conditionType)
            if current?.status != "False" || current?.reason != error.reason || current?.message != error.message {
                status.setCondition(Condition(
                    type: Self.conditionType, status: "False", severity: "Error",
                    lastTransitionTime: current?.status == "False" ? current?.lastTransitionTime : Timestamp.rfc3339(Date()),
                    reason: error.reason, message: error.message))
                changed = true
            }
            return changed
        }
    }

    private func update(_ name: String, _ change: @escaping @Sendable (inout ServerStatus) -> Bool) async {
        do {
            guard let resource = try await store.find(kind: ResourceKinds.server.kind, name: name) else { return }
            var server = try Server(resource)
            guard change(&server.status) else { return }
            _ = try await store.mutate(kind: ResourceKinds.server.kind, name: name) { resource in
                var current = try Server(resource)
                guard change(&current.status) else { return }
                resource = current.resource
            }
        } catch {
            // The Server went away or is being rewritten: the next command will try again.
        }
    }
}
