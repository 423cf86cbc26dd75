import AnvilBoot
import AnvilDaemon
import AnvilHTTPServer
import AnvilResources
import AnvilStore
import Foundation
import Logging

/// `GET /ipxe`: the boot decision for one machine (README "bootd and metadatad"), read from one
/// store snapshot and recorded as an event.
struct IPXEHandler: Sendable {
    let settings: BootdSettings
    let reader: BootStateReader
    let marker: PXEBootedMarker
    let events: EventBatchRecorder
    let metrics: BootMetrics
    let logger: Logger

    /// Answers per (uuid, mac, arch), reused until the store changes (see ``StoreReadCache``).
    let answers: StoreReadCache<BootQuery, BootAnswer>

    func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        guard let parameters = HTTPQuery.parse(request.queryString) else {
            metrics.decision("bad_request")
            return BootResponses.error(.badRequest, "malformed query string: bad percent escape or not UTF-8")
        }
        var parsed: BootQuery
        do {
            parsed = try BootQuery(parameters: parameters)
        } catch {
            metrics.decision("bad_request")
            return BootResponses.error(.badRequest, error.message)
        }
        // Only what the answer depends on is the cache key.
        parsed.hostname = nil
        parsed.domain = nil
        parsed.serial = nil
        let query = parsed
        let answer: BootAnswer
        do {
            answer = try await answers.value(for: query) { try await decide(query) }
        } catch {
            metrics.decision("error")
            logger.error("boot decision failed", metadata: ["uuid": "\(query.uuid)", "error": "\(error)"])
            return BootResponses.error(.internalServerError, "internal error deciding how \(query.uuid) boots (logged)")
        }
        metrics.decision(answer.branch)
        let nic = query.mac.map { " (mac \($0), from \(request.clientIP))" } ?? " (from \(request.clientIP))"
        events.record(.init(
            involved: InvolvedObject(kind: ResourceKinds.server.kind, name: query.uuid), type: answer.eventType,
            reason: answer.reason, message: answer.message + nic))
        if let server = answer.serverToMark {
            await marker.mark(server)
        }
        return answer.response
    }

    /// The store's answer for one query, without the per-request side effects.
    func decide(_ query: BootQuery) async throws -> BootAnswer {
        answer(query, state: try await reader.state(uuid: query.uuid, defaultDiskMethod: settings.defaultDiskMethod))
    }

    /// The answer to `query` given what the store holds: a pure mapping from decision to response.
    func answer(_ query: BootQuery, state: BootState) -> BootAnswer {
        switch state.target {
        case .agent:
            let name = AgentEnvironment.name(arch: query.arch)
            let arguments = BootArguments.agent(
                mac: query.mac, endpoints: settings.endpoints, token: settings.token(for: query.uuid),
                extra: settings.extraAgentArguments)
            let why = state.server == nil ? "unknown server" : "server not allocated"
            return BootAnswer(
                response: BootResponses.script(IPXEScript.environment(name: name, arguments: arguments)), branch: "agent",
                eventType: .normal, reason: "BootAgent", message: "served the agent environment \(name): \(why)")

        case .disk(let method):
            let response: HTTPServerResponse
            switch method {
            case .ipxeExit: response = BootResponses.script(IPXEScript.exit)
            case .ipxeSanboot: response = BootResponses.script(IPXEScript.sanboot)
            case .http404: response = BootResponses.error(.notFound, "server \(query.uuid) boots from disk (boot-from-disk method http-404)")
            }
            return BootAnswer(
                response: response, branch: "disk", eventType: .normal, reason: "BootFromDisk",
                message: "installed: boot from disk by \(method.rawValue)")

        case .environment(let name):
            guard let environment = state.environment else {
                return BootAnswer(
                    response: BootResponses.error(.notFound, "environment \"\(name)\" not found"), branch: "environment_missing",
                    eventType: .warning, reason: "BootFailed", message: "environment \"\(name)\" not found")
            }
            guard environment.assetsReady else {
                return BootAnswer(
                    response: BootResponses.error(.preconditionFailed, "environment \"\(name)\" is not ready"),
                    branch: "environment_not_ready", eventType: .warning, reason: "BootFailed",
                    message: "environment \"\(name)\" is not ready")
            }
            let arguments = BootArguments.target(
                environmentArguments: environment.spec.kernel?.args ?? [], endpoints: settings.endpoints,
                token: settings.token(for: query.uuid))
            let mark = settings.markPXEBootedOnServe && state.server?.status.condition(Server.conditionPXEBooted)?.status != "True"
            return BootAnswer(
                response: BootResponses.script(IPXEScript.environment(name: name, arguments: arguments)), branch: "environment",
                eventType: .normal, reason: "BootEnvironment", message: "served environment \"\(name)\"",
                serverToMark: mark ? state.server : nil)
        }
    }
}

/// One `/ipxe` answer and what to record about it.
struct BootAnswer: Sendable {
    let response: HTTPServerResponse
    /// The metrics branch.
    let branch: String
    let eventType: EventType
    let reason: String
    let message: String
    /// Set when serving this answer marks the server PXEBooted.
    var serverToMark: Server?
}
