import AnvilBoot
import AnvilDaemon
import AnvilHTTPServer
import AnvilResources
import AnvilStore
import Foundation
import Logging

/// `GET /ipxe`: the boot decision for one machine (SPEC §2 step 4), recorded as an event.
struct IPXEHandler: Sendable {
    let settings: BootdSettings
    let reader: BootStateReader
    let events: EventBatchRecorder
    let metrics: BootMetrics
    let logger: Logger

    func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        guard let parameters = HTTPQuery.parse(request.queryString) else {
            metrics.decision("bad_request")
            return BootResponses.error(.badRequest, "malformed query string: bad percent escape or not UTF-8")
        }
        let query: BootQuery
        do {
            query = try BootQuery(parameters: parameters)
        } catch {
            metrics.decision("bad_request")
            return BootResponses.error(.badRequest, error.message)
        }
        do {
            return try await decide(query, clientIP: request.clientIP)
        } catch {
            metrics.decision("error")
            logger.error("boot decision failed", metadata: ["uuid": "\(query.uuid)", "error": "\(error)"])
            return BootResponses.error(.internalServerError, "internal error deciding how \(query.uuid) boots (logged)")
        }
    }

    private func decide(_ query: BootQuery, clientIP: String) async throws -> HTTPServerResponse {
        let state = try await reader.state(uuid: query.uuid)
        let target = BootDecision.target(
            server: state.server, binding: state.binding, serverClass: state.serverClass,
            defaultDiskMethod: settings.defaultDiskMethod)
        let nic = query.mac.map { " (mac \($0), from \(clientIP))" } ?? " (from \(clientIP))"
        switch target {
        case .agent:
            metrics.decision("agent")
            let name = AgentEnvironment.name(arch: query.arch)
            let arguments = BootArguments.agent(
                mac: query.mac, endpoints: settings.endpoints, token: settings.token(for: query.uuid),
                extra: settings.extraAgentArguments)
            let why = state.server == nil ? "unknown server" : "server not allocated"
            record(query.uuid, .normal, "BootAgent", "served the agent environment \(name): \(why)\(nic)")
            return BootResponses.script(IPXEScript.environment(name: name, arguments: arguments))

        case .disk(let method):
            metrics.decision("disk")
            record(query.uuid, .normal, "BootFromDisk", "installed: boot from disk by \(method.rawValue)\(nic)")
            switch method {
            case .ipxeExit: return BootResponses.script(IPXEScript.exit)
            case .ipxeSanboot: return BootResponses.script(IPXEScript.sanboot)
            case .http404: return BootResponses.error(.notFound, "server \(query.uuid) boots from disk (boot-from-disk method http-404)")
            }

        case .environment(let name):
            guard let environment = try await reader.environment(name) else {
                metrics.decision("environment_missing")
                record(query.uuid, .warning, "BootFailed", "environment \"\(name)\" not found\(nic)")
                return BootResponses.error(.notFound, "environment \"\(name)\" not found")
            }
            guard EnvironmentAsset.allReady(environment) else {
                metrics.decision("environment_not_ready")
                record(query.uuid, .warning, "BootFailed", "environment \"\(name)\" is not ready\(nic)")
                return BootResponses.error(.preconditionFailed, "environment \"\(name)\" is not ready")
            }
            metrics.decision("environment")
            let arguments = BootArguments.target(
                environmentArguments: environment.spec.kernel?.args ?? [], endpoints: settings.endpoints,
                token: settings.token(for: query.uuid))
            if settings.markPXEBootedOnServe, let server = state.server {
                await markPXEBooted(server)
            }
            record(query.uuid, .normal, "BootEnvironment", "served environment \"\(name)\"\(nic)")
            return BootResponses.script(IPXEScript.environment(name: name, arguments: arguments))
        }
    }

    /// Sidero v0.4: serving the target environment is taken as installation. Written once (a
    /// server already marked is not touched), so repeated boots cost no store writes.
    private func markPXEBooted(_ server: Server) async {
        guard server.status.condition(Server.conditionPXEBooted)?.status != "True" else { return }
        let now = ISO8601DateFormatter().string(from: Date())
        do {
            _ = try await reader.store.mutate(kind: ResourceKinds.server.kind, name: server.metadata.name) { resource in
                var current = try Server(resource)
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

    private func record(_ uuid: String, _ type: EventType, _ reason: String, _ message: String) {
        events.record(.init(involved: InvolvedObject(kind: ResourceKinds.server.kind, name: uuid), type: type, reason: reason, message: message))
    }
}
