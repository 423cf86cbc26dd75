import AnvilJSON
import AsyncHTTPClient
import NIOHTTP1

/// Authenticated Redfish requests: adds basic auth or the session token, logs in again once
/// when a session has expired (401), and turns error statuses into typed `PowerError`s.
actor RedfishTransport {
    let endpoint: RedfishEndpoint
    private let configuration: RedfishConfiguration
    private let lease: HTTPClientLease
    private let tls: RedfishTLS
    private var session: RedfishSession?

    init(configuration: RedfishConfiguration, endpoint: RedfishEndpoint, lease: HTTPClientLease) {
        self.configuration = configuration
        self.endpoint = endpoint
        self.lease = lease
        tls = RedfishTLS(insecureSkipVerify: configuration.insecureSkipVerify)
    }

    func get(_ path: String) async throws(PowerError) -> RedfishReply {
        try await send(.GET, path)
    }

    /// One request; a 2xx answer is returned, anything else thrown.
    func send(
        _ method: HTTPMethod, _ path: String, body: JSONValue? = nil, headers extra: HTTPHeaders = [:]
    ) async throws(PowerError) -> RedfishReply {
        let url = endpoint.url(path)
        let described = "\(method.rawValue) \(url)"
        var reply = try await attempt(method, url, body: body, headers: extra)
        if reply.status == .unauthorized, configuration.authentication == .session {
            // The BMC may have expired or dropped our session: one new login, one retry.
            session = nil
            reply = try await attempt(method, url, body: body, headers: extra)
        }
        guard (200..<300).contains(reply.status.code) else {
            // An error body that is not JSON still yields a message: its text, or the status alone.
            let body = try? RedfishReply(reply, request: described).json
            let text = RedfishErrorMessage.describe(request: described, reply: reply, body: body)
            throw Self.error(for: reply.status, text: text)
        }
        return try RedfishReply(reply, request: described)
    }

    /// Closes the session, if one is open.
    func logout() async {
        guard let session else { return }
        self.session = nil
        await session.logout(endpoint: endpoint, lease: lease, timeout: configuration.timeout, tls: tls)
    }

    private func attempt(
        _ method: HTTPMethod, _ url: String, body: JSONValue?, headers extra: HTTPHeaders
    ) async throws(PowerError) -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = RedfishHeaders.json
        request.headers.add(contentsOf: extra)
        if let body {
            request.body = .bytes(Array(JSONWriter.string(body).utf8))
        }
        try await authenticate(&request)
        tls.apply(to: &request)
        return try await HTTPExchange.perform(request, on: lease.client, timeout: configuration.timeout)
    }

    private func authenticate(_ request: inout HTTPClientRequest) async throws(PowerError) {
        switch configuration.authentication {
        case .basic:
            // No credentials configured: send none (some test services run without authentication).
            guard !configuration.user.isEmpty || !configuration.password.isEmpty else { return }
            request.setBasicAuth(username: configuration.user, password: configuration.password)
        case .session:
            let current: RedfishSession
            if let session {
                current = session
            } else {
                current = try await RedfishSession.login(
                    endpoint: endpoint, user: configuration.user, password: configuration.password, lease: lease,
                    timeout: configuration.timeout, tls: tls)
                session = current
            }
            request.headers.replaceOrAdd(name: "X-Auth-Token", value: current.token)
        }
    }

    /// 401/403 are the account's fault; 404/405/501 mean the service lacks the thing asked for.
    static func error(for status: HTTPResponseStatus, text: String) -> PowerError {
        switch status.code {
        case 401: .authenticationFailed(text)
        case 403: .insufficientPrivilege(text)
        case 404, 405, 501: .notSupported(text)
        default: .protocolError(text)
        }
    }
}
