import AnvilBoot
import AnvilDaemon
import AnvilHTTPServer
import Foundation

/// Machine-facing requests carry the token bootd put in their kernel arguments, as `token=` in
/// the query or `Authorization: Bearer …`. It must have been issued for the UUID asked about, to
/// the address the request comes from, within the window (docs/security.md).
struct MachineAuthentication: Sendable {
    let key: MachineTokenKey?
    let policy: MachineTokenPolicy
    let now: @Sendable () -> Date

    init(key: MachineTokenKey?, policy: MachineTokenPolicy, now: @escaping @Sendable () -> Date = Date.init) {
        self.key = key
        self.policy = policy
        self.now = now
    }

    enum Outcome: Sendable {
        /// Go on; the verified token (nil when tokens are off).
        case allowed(AttemptToken?)
        case refused(HTTPServerResponse)
    }

    enum Purpose {
        case configData, agent
    }

    func check(_ request: HTTPServerRequest, uuid: String, queryToken: String?, for purpose: Purpose) -> Outcome {
        guard let key else { return .allowed(nil) }
        let bearer = request.headers.first(name: "Authorization").flatMap { value -> String? in
            let parts = value.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        }
        guard let token = queryToken ?? bearer, !token.isEmpty else {
            return .refused(.text(.forbidden, "machine token required for \(uuid): pass the anvil.token kernel argument as token= or Authorization: Bearer\n"))
        }
        let window = purpose == .configData ? policy.window : policy.agentWindow
        switch key.verifyAttempt(token, uuid: uuid, address: request.clientIP, now: now(), window: window) {
        case .success(let verified):
            return .allowed(verified)
        case .failure(let refusal):
            return .refused(.text(.forbidden, "machine token refused for server \(uuid) from \(request.clientIP): \(refusal)\n"))
        }
    }

    /// nil when the request may go on; otherwise the 403 to answer.
    func refusal(_ request: HTTPServerRequest, uuid: String, queryToken: String?, for purpose: Purpose = .agent) -> HTTPServerResponse? {
        if case .refused(let response) = check(request, uuid: uuid, queryToken: queryToken, for: purpose) { return response }
        return nil
    }
}
