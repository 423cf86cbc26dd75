import AnvilBoot
import AnvilConfigData
import AnvilHTTPServer
import AnvilStore
import Logging

/// `GET /configdata?uuid=`: the bound machine's config with the ServerClass's then the Server's
/// patches (README "bootd and metadatad"), behind the machine token.
struct ConfigDataHandler: Sendable {
    let source: ConfigDataSource
    let authentication: MachineAuthentication
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
        if let refusal = authentication.refusal(request, uuid: uuid, queryToken: query["token"]) { return refusal }
        do {
            return try await answers.value(for: uuid) { try await answer(uuid) }
        } catch {
            logger.error("cannot read the config data's sources", metadata: ["uuid": "\(uuid)", "error": "\(error)"])
            return .text(.internalServerError, "internal error reading the config of \(uuid) (logged)\n")
        }
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
