import AnvilBoot
import AnvilHTTPServer

/// Machine-facing requests carry the token bootd put in their kernel arguments, as `token=` in
/// the query or `Authorization: Bearer …`; it must be the one minted for the UUID asked about.
struct MachineAuthentication: Sendable {
    let verifier: MachineTokenVerifier?

    init(key: MachineTokenKey?) {
        verifier = key.map { MachineTokenVerifier(key: $0) }
    }

    /// nil when the request may go on; otherwise the 403 to answer.
    func refusal(_ request: HTTPServerRequest, uuid: String, queryToken: String?) -> HTTPServerResponse? {
        guard let verifier else { return nil }
        let bearer = request.headers.first(name: "Authorization").flatMap { value -> String? in
            let parts = value.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        }
        guard let token = queryToken ?? bearer, !token.isEmpty else {
            return .text(.forbidden, "machine token required for \(uuid): pass the anvil.token kernel argument as token= or Authorization: Bearer\n")
        }
        guard verifier.verify(token, uuid: uuid) else {
            return .text(.forbidden, "machine token does not match server \(uuid)\n")
        }
        return nil
    }
}
