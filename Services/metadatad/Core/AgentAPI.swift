import AnvilBoot
import AnvilDaemon
import AnvilHTTPServer
import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Logging

/// The agent API (JSON over HTTP), Sidero's agent service: register, report addresses, heartbeat,
/// mark wiped, report BMC credentials, report installed. Each operation is one store transaction,
/// so a failure leaves nothing half-written.
struct AgentAPI: Sendable {
    let settings: MetadataSettings
    let store: Store
    let authentication: MachineAuthentication
    let events: EventBatchRecorder
    let logger: Logger

    static let prefix = "/api/v1/"

    /// `POST /api/v1/register` and `POST /api/v1/servers/<uuid>/<operation>` (the router lets only POST through).
    func respond(_ request: HTTPServerRequest, rest: Substring) async -> HTTPServerResponse {
        let query = HTTPQuery.parse(request.queryString) ?? [:]
        do {
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            if parts == ["register"] {
                return try await register(request, token: query["token"])
            }
            guard parts.count == 3, parts[0] == "servers" else {
                throw AgentAPIError(.notFound, "no such agent API path: \(Self.prefix)\(rest.prefix(200))")
            }
            let uuid = try validUUID(String(parts[1]))
            if let refusal = authentication.refusal(request, uuid: uuid, queryToken: query["token"]) { return refusal }
            switch parts[2] {
            case "addresses": return try await reportAddresses(uuid, try AgentRequestBody.decode(AddressesRequest.self, from: request))
            case "heartbeat": return try await heartbeat(uuid, try AgentRequestBody.decodeOptional(HeartbeatRequest.self, from: request))
            case "wiped": return try await markWiped(uuid)
            case "bmc": return try await reportBMC(uuid, try AgentRequestBody.decode(BMCInfoRequest.self, from: request))
            case "installed": return try await reportInstalled(uuid)
            default: throw AgentAPIError(.notFound, "no such agent operation: \(parts[2].prefix(100))")
            }
        } catch let error as AgentAPIError {
            return error.response
        } catch {
            logger.error("agent API request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return AgentAPIError(.internalServerError, "internal error (logged)").response
        }
    }

    private func validUUID(_ text: String) throws(AgentAPIError) -> String {
        guard let uuid = BootQuery.normalizedUUID(text) else {
            throw AgentAPIError(.badRequest, "malformed uuid \"\(text.prefix(64))\": expected 8-4-4-4-12 hexadecimal digits")
        }
        return uuid
    }

    /// Creates the Server (accepted per auto-accept) or refreshes its hardware and hostname, then
    /// answers what the agent must do.
    private func register(_ request: HTTPServerRequest, token: String?) async throws -> HTTPServerResponse {
        let body = try AgentRequestBody.decode(RegisterRequest.self, from: request)
        let uuid = try validUUID(body.uuid)
        if let hardware = body.hardware, let problem = InventoryLimits.problem(in: hardware) {
            throw AgentAPIError(.unprocessableEntity, "inventory refused: \(problem)")
        }
        if let refusal = authentication.refusal(request, uuid: uuid, queryToken: token) { return refusal }
        let server: Server
        switch try await registerOrRefresh(uuid, body) {
        case .registered(let registered): server = registered
        case .conflict(let message): return try await refuseDuplicate(uuid, message)
        }
        var answer: [String: JSONValue] = [
            "accepted": .bool(server.spec.accepted), "wipe": false, "insecureWipe": false, "setupBMC": false,
            "rebootTimeoutSeconds": .double(Double(settings.policy.serverRebootTimeout.components.seconds)),
        ]
        // Sidero sets up the BMC of accepted servers only; `--bmc-setup-at discovery` also of new ones.
        if server.spec.accepted || settings.policy.bmcSetupAtDiscovery {
            answer["setupBMC"] = .bool(server.spec.bmc == nil && settings.policy.autoBMCSetup)
        }
        if server.spec.accepted {
            if !server.status.isClean {
                answer["wipe"] = true
                answer["insecureWipe"] = .bool(settings.policy.insecureWipe)
            }
        }
        return AgentAPIResponse.json(.ok, .object(answer))
    }

    private enum Registration {
        case registered(Server)
        case conflict(String)
    }

    /// A reported identity that contradicts the stored one, found inside the write so that two
    /// machines with one UUID registering at once cannot both pass the check (the simulator's
    /// duplicate-UUID fault did, docs/simulator.md).
    private struct IdentityClash: Error {
        let message: String
    }

    /// Refreshes the Server's hardware and hostname, or creates it (accepted per auto-accept).
    /// A create that loses the race to another registration of the same UUID takes the refresh
    /// path, where a contradicting identity is a conflict, not an internal error.
    private func registerOrRefresh(_ uuid: String, _ body: RegisterRequest) async throws -> Registration {
        for _ in 0..<2 {
            if try await store.find(kind: ResourceKinds.server.kind, name: uuid) != nil {
                do {
                    let server = try Server(try await mutateServer(uuid) { server in
                        if let hardware = body.hardware {
                            if let conflict = IdentityConflict.between(known: server.spec.hardware, reported: hardware) {
                                throw IdentityClash(message: conflict)
                            }
                            server.spec.hardware = hardware
                        }
                        if let hostname = body.hostname, !hostname.isEmpty { server.spec.hostname = hostname }
                    })
                    record(uuid, "Registered", "server re-registered via the agent API (hardware refreshed)")
                    return .registered(server)
                } catch let clash as IdentityClash {
                    return .conflict(clash.message)
                }
            }
            var fresh = Server(metadata: ObjectMeta(name: uuid))
            fresh.spec.accepted = settings.policy.autoAcceptServers
            fresh.spec.hardware = body.hardware
            fresh.spec.hostname = body.hostname.flatMap { $0.isEmpty ? nil : $0 }
            do {
                let server = try Server(try await store.create(fresh.resource))
                record(uuid, "Registered", "server auto-registered via the agent API (accepted: \(settings.policy.autoAcceptServers))")
                return .registered(server)
            } catch let error as ResourceError {
                throw AgentAPIError(.unprocessableEntity, "registration refused: \(error)")
            } catch StoreError.alreadyExists {
                continue  // another registration of this UUID created it first: refresh it instead
            }
        }
        throw AgentAPIError(.conflict, "registration of \(uuid) raced with another one; try again")
    }

    /// Records the conflict on the Server (condition and Warning event) and refuses the registration.
    private func refuseDuplicate(_ uuid: String, _ message: String) async throws -> HTTPServerResponse {
        let now = Self.now()
        _ = try await mutateServer(uuid) { server in
            server.status.setCondition(Condition(
                type: IdentityConflict.conditionType, status: "True", lastTransitionTime: now, reason: "DuplicateUUID", message: message))
        }
        record(uuid, "IdentityConflict", message, warning: true)
        logger.warning("identity conflict", metadata: ["uuid": "\(uuid)"])
        throw AgentAPIError(.conflict, "registration refused: \(message)")
    }

    /// Replaces the addresses of each type sent; types not sent are kept.
    private func reportAddresses(_ uuid: String, _ body: AddressesRequest) async throws -> HTTPServerResponse {
        _ = try await mutateServer(uuid) { server in
            let types = Set(body.addresses.map(\.type))
            var addresses = (server.status.addresses ?? []).filter { !types.contains($0.type) }
            addresses += body.addresses
            server.status.addresses = addresses
        }
        return AgentAPIResponse.json(.ok, [:])
    }

    /// Refreshes the PowerCycle condition's time: the reconciler's reboot timeout counts from it.
    /// A long wipe sends its progress, which the condition's message shows.
    private func heartbeat(_ uuid: String, _ body: HeartbeatRequest?) async throws -> HTTPServerResponse {
        if let progress = body?.progress, !(0...100).contains(progress) {
            throw AgentAPIError(.badRequest, "field progress must be 0-100, not \(progress)")
        }
        let now = Self.now()
        let message = body?.progress.map { "Server wipe in progress: \(Int($0))%." } ?? "Server wipe in progress."
        _ = try await mutateServer(uuid) { server in
            server.status.setCondition(Condition(
                type: Server.conditionPowerCycle, status: "False", lastTransitionTime: now, reason: "InProgress", message: message))
        }
        if let progress = body?.progress {
            // One event per 10 % step: the heartbeats within a step fold into it (a count, no new row).
            record(uuid, "WipeProgress", "wipe \(Int(progress / 10) * 10)%")
        }
        return AgentAPIResponse.json(.ok, [:])
    }

    private func markWiped(_ uuid: String) async throws -> HTTPServerResponse {
        let now = Self.now()
        _ = try await mutateServer(uuid) { server in
            server.status.isClean = true
            server.status.setCondition(Condition(type: Server.conditionPowerCycle, status: "True", lastTransitionTime: now))
        }
        record(uuid, "Wiped", "server wiped via the agent")
        return AgentAPIResponse.json(.ok, [:])
    }

    /// The installed OS says it is installed: from now on the server boots from disk.
    private func reportInstalled(_ uuid: String) async throws -> HTTPServerResponse {
        let now = Self.now()
        _ = try await mutateServer(uuid) { server in
            server.status.setCondition(Condition(
                type: Server.conditionPXEBooted, status: "True", lastTransitionTime: now, reason: "InstallReported",
                message: "the installed OS reported installation"))
        }
        record(uuid, "Installed", "installation reported")
        return AgentAPIResponse.json(.ok, [:])
    }

    /// Reads, changes and writes the Server in one transaction; 404 when it is not registered,
    /// 422 when the change would make it invalid.
    func mutateServer(_ uuid: String, _ change: @escaping @Sendable (inout Server) throws -> Void) async throws -> Resource {
        do {
            return try await store.mutate(kind: ResourceKinds.server.kind, name: uuid) { resource in
                var server = try Server(resource)
                try change(&server)
                resource = server.resource
            }
        } catch let error as StoreError {
            if case .notFound = error { throw AgentAPIError(.notFound, "server \(uuid) is not registered") }
            throw error
        } catch let error as ResourceError {
            throw AgentAPIError(.unprocessableEntity, "refused: \(error)")
        }
    }

    func record(_ uuid: String, _ reason: String, _ message: String, warning: Bool = false) {
        events.record(.init(
            involved: InvolvedObject(kind: ResourceKinds.server.kind, name: uuid), type: warning ? .warning : .normal, reason: reason, message: message))
    }

    static func now() -> String {
        Timestamp.rfc3339(Date())
    }
}
