import AnvilBus
import AnvilIPMI
import AnvilIPMIClient
import AnvilJSON
import AnvilPower
import AnvilResources
import AnvilStore
import Foundation

/// `bmc.setupUser`: enrols Anvil's own BMC user over IPMI with the credentials the Server has
/// now, proves the new user can log in, then stores the new credentials in Secret
/// `default/<server>-bmc` and points `spec.bmc.userFrom`/`passFrom` at it — the same place
/// Sidero's agent puts them. Nothing is written unless the new login worked.
struct BMCUserEnrolment: Sendable {
    let api: PowerBusAPI

    func run(_ params: JSONValue?) async throws -> JSONValue {
        let name = try api.serverName(params)
        let timeout = try api.deadline(params)
        let user = params?["user"]?.stringValue ?? "anvil"
        let password = params?["password"]?.stringValue ?? Self.generatedPassword()
        var userID: UInt8?
        if let value = params?["userId"], value != .null {
            guard case .int(let number) = value, (2...63).contains(number) else {
                throw BusError.invalidParams("params.userId must be an integer 2-63")
            }
            userID = UInt8(number)
        }
        let (server, target) = try await api.resolve(name, method: "bmc.setupUser")
        guard case .ipmi(let endpoint) = target, let backend = try? await api.pool.ipmiBackend(for: target) else {
            throw await api.failure(.notSupported("bmc.setupUser needs an IPMI BMC (spec.bmc); server \(name) uses \(target.kind)"), server: name, method: "bmc.setupUser")
        }
        let setup = IPMIUserSetup(user: user, password: password, userID: userID)
        do {
            let enrolled = try await Deadline.run(timeout, what: "bmc.setupUser for server \(name)") { () async throws -> UInt8 in
                let slot = try await backend.setupUser(setup)
                // Log in as the new user before anyone relies on it.
                var fresh = endpoint
                fresh.user = user
                fresh.password = password
                let check = IPMIBackend(client: IPMIClient(endpoint: fresh, policy: IPMIRetryPolicy(timeout: api.settings.ipmiTimeout, retries: api.settings.ipmiRetries)))
                defer { Task { await check.shutdown() } }
                _ = try await check.powerState()
                return slot
            }
            let secretName = try await storeCredentials(server: server, user: user, password: password)
            await api.status.succeeded(server: name, power: nil)
            api.events.record(.init(
                involved: InvolvedObject(kind: ResourceKinds.server.kind, name: name), type: .normal, reason: "BMCUserEnrolled",
                message: "BMC user \(user) enrolled in slot \(enrolled); credentials in Secret default/\(secretName)"))
            return .object([
                "server": .string(name), "user": .string(user), "userId": .int(Int64(enrolled)),
                "secret": .string("default/\(secretName)"), "verified": .bool(true),
            ])
        } catch let error as PowerError {
            throw await api.failure(error, server: name, method: "bmc.setupUser")
        }
    }

    private func storeCredentials(server: Server, user: String, password: String) async throws -> String {
        let name = server.metadata.name
        let secretName = "\(name)-bmc"
        let store = api.resolver.store
        let secret = Secret(
            metadata: ObjectMeta(name: secretName, namespace: "default"),
            values: ["user": Data(user.utf8), "pass": Data(password.utf8)])
        try await store.upsertSecret(secret)
        _ = try await store.mutate(kind: ResourceKinds.server.kind, name: name) { resource in
            var current = try Server(resource)
            current.spec.bmc?.useCredentials(fromSecret: secretName)
            resource = current.resource
        }
        return secretName
    }

    /// 16 characters (ipmi_sim and many BMCs refuse longer passwords) from a CSPRNG.
    static func generatedPassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
