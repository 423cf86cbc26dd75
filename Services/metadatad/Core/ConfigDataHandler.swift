import AnvilBoot
import AnvilConfigData
import AnvilDaemon
import AnvilHTTPServer
import AnvilResources
import AnvilStore
import Foundation
import Logging

/// `GET /configdata?uuid=`: the bound machine's config with the ServerClass's then the Server's
/// patches (README "bootd and metadatad"), behind the boot-attempt token, once per boot attempt
/// (docs/security.md).
struct ConfigDataHandler: Sendable {
    let source: ConfigDataSource
    let authentication: MachineAuthentication
    let store: Store
    let events: EventBatchRecorder
    let logger: Logger
    /// Responses per UUID, reused until the store changes (see ``StoreReadCache``).
    let answers: StoreReadCache<String, HTTPServerResponse>

    func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        guard let query = HTTPQuery.parse(request.queryString) else {
            return .text(.badRequest, "malformed query string: bad percent escape or not UTF-8\n")
        }
        guard let raw = query["uuid"], !raw.isEmpty else {
            return .text(.badRequest, "missing uuid: ask for /configdata?uuid=<SMBIOS UUID>\n")
        }
        guard let uuid = BootQuery.normalizedUUID(raw) else {
            return .text(.badRequest, "malformed uuid \"\(raw.prefix(64))\": expected 8-4-4-4-12 hexadecimal digits\n")
        }
        let token: AttemptToken?
        switch authentication.check(request, uuid: uuid, queryToken: query["token"], for: .configData) {
        case .refused(let response): return response
        case .allowed(let verified): token = verified
        }
        do {
            let response = try await answers.value(for: uuid) { try await answer(uuid) }
            guard response.status == .ok else { return response }
            guard let token else {
                fetched(uuid, address: request.clientIP, how: "no machine token required")
                return response
            }
            return try await once(response, uuid: uuid, token: token, address: request.clientIP)
        } catch {
            logger.error("cannot read the config data's sources", metadata: ["uuid": "\(uuid)", "error": "\(error)"])
            return .text(.internalServerError, "internal error reading the config of \(uuid) (logged)\n")
        }
    }

    /// `response` if this is the attempt's first fetch; a second one is refused and recorded, so a
    /// thief who won the race makes the real install fail loudly.
    private func once(_ response: HTTPServerResponse, uuid: String, token: AttemptToken, address: String) async throws -> HTTPServerResponse {
        switch try await store.useBootAttempt(uuid: uuid, nonce: token.nonceText, address: address) {
        case .first:
            fetched(uuid, address: address, how: "boot attempt's token")
            return response
        case .notCurrent:
            return .text(.forbidden, "machine token refused for server \(uuid): it is not for the server's current install boot (boot it again through /ipxe)\n")
        case .again(let attempt):
            let when = attempt.configFetchedAt.map { Timestamp.rfc3339($0) } ?? "?"
            let message = "config of server \(uuid) fetched twice in one boot attempt: first at \(when) from \(attempt.configFetchedFrom ?? "?"), again from \(address); refused (boot the server again for a new attempt)"
            events.record(.init(
                involved: InvolvedObject(kind: ResourceKinds.server.kind, name: uuid), type: .warning, reason: "ConfigFetchedTwice",
                message: message))
            logger.warning("config fetched twice", metadata: ["uuid": "\(uuid)", "address": "\(address)"])
            return .text(.conflict, message + "\n")
        }
    }

    /// A `ConfigFetched` event on the Server: the machine has its config (`anvil timeline`).
    private func fetched(_ uuid: String, address: String, how: String) {
        events.record(.init(
            involved: InvolvedObject(kind: ResourceKinds.server.kind, name: uuid), type: .normal, reason: "ConfigFetched",
            message: "config data served to \(address) (\(how))"))
    }

    /// The response for `uuid` from the store as it is now (cached by the caller until it changes).
    private func answer(_ uuid: String) async throws -> HTTPServerResponse {
        let inputs: ConfigDataInputs
        do {
            inputs = try await source.inputs(uuid: uuid)
        } catch let unavailable as ConfigDataUnavailable {
            return .text(.notFound, unavailable.message + "\n")
        }
        do {
            let body = try ConfigDataRenderer.render(
                config: inputs.config, uuid: uuid, classPatches: inputs.classPatches, serverPatches: inputs.serverPatches,
                className: inputs.className, serverName: uuid)
            return .text(.ok, body, contentType: "application/yaml")
        } catch {
            logger.warning("config patches failed", metadata: ["uuid": "\(uuid)", "error": "\(error)"])
            return .text(.internalServerError, "cannot build the config of \(uuid): \(error)\n")
        }
    }
}
