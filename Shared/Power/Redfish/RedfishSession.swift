import AnvilJSON
import AsyncHTTPClient
import NIOHTTP1

/// A Redfish session (DSP0266 §13.3.4): the token sent as `X-Auth-Token`, and where to DELETE it.
struct RedfishSession: Sendable {
    let token: String
    let location: String?

    static let collectionPath = "/redfish/v1/SessionService/Sessions"

    /// POSTs the credentials to the session collection; 401/403 carry the BMC's message.
    static func login(
        endpoint: RedfishEndpoint, user: String, password: String, lease: HTTPClientLease,
        timeout: Duration, tls: RedfishTLS
    ) async throws(PowerError) -> RedfishSession {
        let url = endpoint.url(collectionPath)
        let described = "POST \(url)"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = RedfishHeaders.json
        request.body = .bytes(Array(JSONWriter.string(["UserName": .string(user), "Password": .string(password)]).utf8))
        tls.apply(to: &request)
        let reply = try await HTTPExchange.perform(request, on: lease.client, timeout: timeout)
        let body = try? RedfishReply(reply, request: described).json
        switch reply.status.code {
        case 200, 201, 204:
            break
        case 401:
            throw .authenticationFailed(RedfishErrorMessage.describe(request: described, reply: reply, body: body))
        case 403:
            throw .insufficientPrivilege(RedfishErrorMessage.describe(request: described, reply: reply, body: body))
        case 404, 405, 501:
            throw .notSupported(
                RedfishErrorMessage.describe(request: described, reply: reply, body: body)
                    + " (the service has no sessions; use auth: basic)")
        default:
            throw .protocolError(RedfishErrorMessage.describe(request: described, reply: reply, body: body))
        }
        guard let token = reply.headers.first(name: "X-Auth-Token"), !token.isEmpty else {
            throw .protocolError("\(described) opened a session without an X-Auth-Token header")
        }
        let location = reply.headers.first(name: "Location") ?? body?["@odata.id"]?.stringValue
        return RedfishSession(token: token, location: location)
    }

    /// Best effort: a session we cannot delete times out on the BMC by itself.
    func logout(endpoint: RedfishEndpoint, lease: HTTPClientLease, timeout: Duration, tls: RedfishTLS) async {
        guard let location else { return }
        var request = HTTPClientRequest(url: endpoint.url(location))
        request.method = .DELETE
        request.headers = RedfishHeaders.json
        request.headers.replaceOrAdd(name: "X-Auth-Token", value: token)
        tls.apply(to: &request)
        _ = try? await HTTPExchange.perform(request, on: lease.client, timeout: timeout)
    }
}
