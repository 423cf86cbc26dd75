import AnvilResources
import AnvilStore
import Foundation
import Logging

/// Sidero v0.4: serving the target environment is taken as installation. Written once (a server
/// already marked is not touched), so repeated boots cost no store writes.
struct PXEBootedMarker: Sendable {
    let store: Store
    let logger: Logger

    func mark(_ server: Server) async {
        guard server.status.condition(Server.conditionPXEBooted)?.status != "True" else { return }
        let now = Timestamp.rfc3339(Date())
        do {
            _ = try await store.mutate(kind: ResourceKinds.server.kind, name: server.metadata.name) { resource in
                var current = try Server(resource)
                // Another request (or replica) may have marked it since the answer was read.
                guard current.status.condition(Server.conditionPXEBooted)?.status != "True" else { return }
                var conditions = (current.status.conditions ?? []).filter { $0.type != Server.conditionPXEBooted }
                conditions.append(Condition(
                    type: Server.conditionPXEBooted, status: "True", lastTransitionTime: now,
                    reason: "EnvironmentServed", message: "bootd served the target environment"))
                current.status.conditions = conditions
                resource = current.resource
            }
        } catch {
            logger.warning("cannot mark the server PXEBooted", metadata: ["server": "\(server.metadata.name)", "error": "\(error)"])
        }
    }
}
