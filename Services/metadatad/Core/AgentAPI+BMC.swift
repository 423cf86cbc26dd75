import AnvilHTTPServer
import AnvilResources
import Foundation

extension AgentAPI {
    /// Condition on the Server saying whether the BMC's own address is known (docs/agent.md).
    static let conditionBMCAddress = "BMCAddress"

    /// BMC endpoint and port on the Server; user and password in Secret `default/<uuid>-bmc`,
    /// referenced by `bmc.userFrom`/`passFrom` (never stored in the Server itself).
    ///
    /// A BMC that reports no address (0.0.0.0: not configured yet) keeps the endpoint the operator
    /// set and records a condition; the report still succeeds so the agent never loops on it.
    func reportBMC(_ uuid: String, _ body: BMCInfoRequest) async throws -> HTTPServerResponse {
        guard let existing = try await store.find(kind: ResourceKinds.server.kind, name: uuid).map(Server.init) else {
            throw AgentAPIError(.notFound, "server \(uuid) is not registered")
        }
        if let port = body.port, !(0...65535).contains(port) {
            throw AgentAPIError(.badRequest, "field port must be 0-65535, not \(port)")
        }
        let reported = body.ip.flatMap { Self.isUnset($0) ? nil : $0 }
        let addressUnknown = body.ip.map(Self.isUnset) ?? false
        // Checked before anything is written, so a refused report leaves no Secret behind.
        guard addressUnknown || !(reported ?? existing.spec.bmc?.endpoint ?? "").isEmpty else {
            throw AgentAPIError(.badRequest, "field ip required: the server has no BMC endpoint yet")
        }
        let secretName = "\(uuid)-bmc"
        let credentials = !(body.user ?? "").isEmpty && !(body.pass ?? "").isEmpty
        if credentials, let user = body.user, let pass = body.pass {
            let secret = Secret(
                metadata: ObjectMeta(name: secretName, namespace: "default"),
                values: ["user": Data(user.utf8), "pass": Data(pass.utf8)])
            try await store.upsertSecret(secret)
        }
        let now = Self.now()
        let server = try Server(try await mutateServer(uuid) { server in
            if let endpoint = reported ?? server.spec.bmc?.endpoint, !endpoint.isEmpty {
                var bmc = server.spec.bmc ?? BMC(endpoint: endpoint)
                bmc.endpoint = endpoint
                if reported != nil { bmc.port = body.port.flatMap { $0 == 0 ? nil : $0 } ?? bmc.port ?? BMC.defaultPort }
                if credentials { bmc.useCredentials(fromSecret: secretName) }
                server.spec.bmc = bmc
            }
            server.status.setCondition(addressUnknown
                ? Condition(
                    type: Self.conditionBMCAddress, status: "False", lastTransitionTime: now, reason: "NoAddress",
                    message: "the BMC reports no LAN address (\(body.ip ?? "")); set spec.bmc.endpoint or configure the BMC's LAN")
                : Condition(type: Self.conditionBMCAddress, status: "True", lastTransitionTime: now, reason: "Reported"))
        })
        let secretNote = credentials ? " with credentials (Secret default/\(secretName))" : ""
        if addressUnknown {
            let kept = server.spec.bmc.map { "endpoint \($0.endpoint) kept" } ?? "no endpoint known"
            record(uuid, "BMCAddressUnknown", "BMC reported no LAN address via the agent\(secretNote); \(kept)", warning: true)
        } else {
            record(uuid, "BMCReported", "BMC \(reported ?? "endpoint kept") reported via the agent\(secretNote)")
        }
        return AgentAPIResponse.json(.ok, [:])
    }

    /// 0.0.0.0, :: or empty: the BMC has no LAN address configured.
    static func isUnset(_ ip: String) -> Bool {
        ["", "0.0.0.0", "::"].contains(ip.trimmingCharacters(in: .whitespaces))
    }
}
