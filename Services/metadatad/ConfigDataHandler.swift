import AnvilBoot
import AnvilConfigData
import AnvilHTTPServer
import AnvilStore
import Logging

/// `GET /configdata?uuid=`: the bound machine's config with the ServerClass's then the Server's
/// patches (SPEC §2 step 6), behind the machine token.
struct ConfigDataHandler: Sendable {
    let source: ConfigDataSource
    let authentication: MachineAuthentication
    let logger: Logger
    /// Responses per UUID, reused until the store changes (see ``StoreReadCache``).
    let answers: StoreReadCache<String, HTTPServerResponse>

    /// The cached answer on the event loop (or a refusal), nil when the store must be read.
    func immediate(_ request: HTTPServerRequest) -> HTTPServerResponse? {
        switch check(request) {
        case .failure(let refusal): return refusal.response
        case .success(let uuid): return answers.freshValue(for: uuid)
        }
    }

    func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let uuid: String
        switch check(request) {
        case .failure(let refusal): return refusal.response
        case .success(let checked): uuid = checked
        }
        do {
            return try await answers.value(for: uuid) { try await answer(uuid) }
        } catch {
            logger.error("cannot read the config data's sources", metadata: ["uuid": "\(uuid)", "error": "\(error)"])
            return .text(.internalServerError, "internal error reading the config of \(uuid) (logged)\n")
        }
    }

    struct Refusal: Error {
        let response: HTTPServerResponse
    }

    /// The UUID asked about, once the query and the machine token are checked.
    private func check(_ request: HTTPServerRequest) -> Result<String, Refusal> {
        guard let query = HTTPQuery.parse(request.queryString) else {
            return .failure(Refusal(response: .text(.badRequest, "malformed query string: bad percent escape or not UTF-8\n")))
        }
        guard let raw = query["uuid"], !raw.isEmpty else {
            return .failure(Refusal(response: .text(.badRequest, "missing uuid: ask for /configdata?uuid=<SMBIOS UUID>\n")))
        }
        guard let uuid = BootQuery.normalizedUUID(raw) else {
            return .failure(Refusal(response: .text(.badRequest, "malformed uuid \"\(raw.prefix(64))\": expected 8-4-4-4-12 hexadecimal digits\n")))
        }
        if let refusal = authentication.refusal(request, uuid: uuid, queryToken: query["token"]) {
            return .failure(Refusal(response: refusal))
        }
        return .success(uuid)
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
