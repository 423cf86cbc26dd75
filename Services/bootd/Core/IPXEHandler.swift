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
    /// nil when machine tokens are off.
    let issuer: BootTokenIssuer?
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
        var answer: BootAnswer
        do {
            answer = try await answers.value(for: query) { try await decide(query) }
            if let issuer, let script = answer.script {
                answer = try await withToken(answer, script: script, query: query, address: request.clientIP, issuer: issuer)
            }
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

    /// `answer` rendered again with a token for this request, or the refusal when another address
    /// holds the server's install attempt.
    func withToken(_ answer: BootAnswer, script: BootScript, query: BootQuery, address: String, issuer: BootTokenIssuer) async throws -> BootAnswer {
        switch try await issuer.token(for: script, uuid: query.uuid, mac: query.mac, address: address) {
        case .token(let token):
            var answer = answer
            answer.response = BootResponses.script(script.render(settings: settings, token: token))
            return answer
        case .conflict(let attempt):
            let message = "install boot refused: \(attempt.address)\(attempt.mac.map { " (mac \($0))" } ?? "") started this server's boot attempt at \(Timestamp.rfc3339(attempt.issuedAt)) and has not fetched its config; another address gets no token until it does or the token window (\(GoDuration.format(settings.tokens.window))) passes"
            return BootAnswer(
                response: BootResponses.error(.forbidden, message), branch: "attempt_conflict", eventType: .warning,
                reason: "BootAttemptConflict", message: message)
        }
    }

    /// The store's answer for one query, without the per-request side effects.
    func decide(_ query: BootQuery) async throws -> BootAnswer {
        answer(query, state: try await reader.state(uuid: query.uuid, defaultDiskMethod: settings.defaultDiskMethod))
    }

    /// The answer to `query` given what the store holds: a pure mapping from decision to response.
    func answer(_ query: BootQuery, state: BootState) -> BootAnswer {
        if let refusal = unknownMAC(query, state: state) { return refusal }
        switch state.target {
        case .agent:
            let name = AgentEnvironment.name(arch: query.arch)
            let script = BootScript.agent(name: name, mac: query.mac)
            let why = state.server == nil ? "unknown server" : "server not allocated"
            return BootAnswer(
                response: BootResponses.script(script.render(settings: settings, token: nil)), branch: "agent",
                eventType: .normal, reason: "BootAgent", message: "served the agent environment \(name): \(why)", script: script)

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
            let script = BootScript.install(name: name, environmentArguments: environment.spec.kernel?.args ?? [])
            let mark = settings.markPXEBootedOnServe && state.server?.status.condition(Server.conditionPXEBooted)?.status != "True"
            return BootAnswer(
                response: BootResponses.script(script.render(settings: settings, token: nil)), branch: "environment",
                eventType: .normal, reason: "BootEnvironment", message: "served environment \"\(name)\"",
                serverToMark: mark ? state.server : nil, script: script)
        }
    }

    /// A known server asking from a MAC none of its discovered NICs has: no environment, no token
    /// (docs/security.md). Disk boots carry nothing secret and are let through.
    func unknownMAC(_ query: BootQuery, state: BootState) -> BootAnswer? {
        guard settings.checkMAC, let server = state.server else { return nil }
        if case .disk = state.target { return nil }
        let known = Set((server.spec.hardware?.network?.interfaces ?? []).compactMap { $0.mac?.lowercased() }.filter { !$0.isEmpty })
        guard !known.isEmpty, !(query.mac.map { known.contains($0.lowercased()) } ?? false) else { return nil }
        let asked = query.mac.map { "mac \($0)" } ?? "no mac"
        let message = "\(asked) is none of server \(query.uuid)'s NICs (\(known.sorted().joined(separator: ", "))): no environment, no token (bootd --check-mac=false allows it)"
        return BootAnswer(
            response: BootResponses.error(.forbidden, message), branch: "unknown_mac", eventType: .warning, reason: "UnknownMAC",
            message: message)
    }
}

/// One `/ipxe` answer and what to record about it.
struct BootAnswer: Sendable {
    var response: HTTPServerResponse
    /// The metrics branch.
    let branch: String
    let eventType: EventType
    let reason: String
    let message: String
    /// Set when serving this answer marks the server PXEBooted.
    var serverToMark: Server?
    /// A script to render again with the request's own token (tokens on).
    var script: BootScript?
}
