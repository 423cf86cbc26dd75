import AnvilIPMIClient
import AnvilPower
import AnvilResources
import AnvilStore
import Foundation

/// Reads a Server and the Secrets its credentials point at, and says how to reach its power
/// control: Redfish (`spec.redfish`), else IPMI (`spec.bmc`, lanplus), else the management API
/// (`spec.managementApi`).
struct PowerTargetResolver: Sendable {
    let store: Store
    let settings: BMCDSettings

    /// The Server and its target; a missing Server or unusable settings throw a message naming
    /// the field at fault.
    func resolve(serverName: String) async throws -> (server: Server, target: PowerTarget) {
        guard let resource = try await store.find(kind: ResourceKinds.server.kind, name: serverName) else {
            throw ServerNotFound(name: serverName)
        }
        let server = try Server(resource)
        return (server, try await target(for: server))
    }

    func target(for server: Server) async throws(PowerError) -> PowerTarget {
        let name = server.metadata.name
        if settings.fakePower { return .fake(server: name) }
        if let redfish = server.spec.redfish {
            guard !redfish.endpoint.isEmpty else { throw .invalidConfiguration("server \(name): spec.redfish.endpoint is empty") }
            // A Redfish service may need no login (emulators, lab BMCs): credentials are optional.
            let user = try await credential(inline: redfish.user, from: redfish.userFrom, field: "spec.redfish.user", server: name, required: false)
            let pass = try await credential(inline: redfish.pass, from: redfish.passFrom, field: "spec.redfish.pass", server: name, required: false)
            return .redfish(RedfishConfiguration(
                endpoint: redfish.endpoint, systemId: redfish.systemId, user: user, password: pass,
                authentication: redfish.effectiveAuth == .basic ? .basic : .session,
                insecureSkipVerify: redfish.effectiveInsecureSkipVerify, timeout: settings.httpTimeout))
        }
        if let bmc = server.spec.bmc {
            switch bmc.interface ?? .lanplus {
            case .lanplus: break
            case .lan:
                throw .notSupported("server \(name): bmc.interface lan (IPMI v1.5) is not supported; use lanplus (IPMI v2.0 RMCP+)")
            case .redfish:
                throw .notSupported("server \(name): bmc.interface redfish: describe the BMC in spec.redfish instead")
            }
            guard !bmc.endpoint.isEmpty else { throw .invalidConfiguration("server \(name): spec.bmc.endpoint is empty") }
            let user = try await credential(inline: bmc.user, from: bmc.userFrom, field: "spec.bmc.user", server: name)
            let pass = try await credential(inline: bmc.pass, from: bmc.passFrom, field: "spec.bmc.pass", server: name)
            return .ipmi(IPMIEndpoint(
                host: bmc.endpoint, port: bmc.effectivePort, user: user, password: pass, cipherSuite: settings.ipmiCipherSuite))
        }
        if let api = server.spec.managementApi {
            guard !api.endpoint.isEmpty else { throw .invalidConfiguration("server \(name): spec.managementApi.endpoint is empty") }
            return .managementAPI(endpoint: api.endpoint)
        }
        throw .invalidConfiguration("server \(name) has no spec.redfish, spec.bmc or spec.managementApi: nothing to drive its power with")
    }

    /// The inline value, else the Secret key it names (Sidero: `userFrom`/`passFrom` count only
    /// when the inline value is empty).
    private func credential(
        inline: String?, from source: CredentialSource?, field: String, server: String, required: Bool = true
    ) async throws(PowerError) -> String {
        if let inline, !inline.isEmpty { return inline }
        if !required && source == nil { return "" }
        guard let reference = source?.secretKeyRef else {
            throw .invalidConfiguration("server \(server): \(field) is empty and \(field)From names no secret")
        }
        let namespace = reference.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let secret: Secret
        do {
            guard let resource = try await store.find(kind: ResourceKinds.secret.kind, namespace: namespace, name: reference.name) else {
                throw PowerError.invalidConfiguration("server \(server): \(field)From: secret \(namespace)/\(reference.name) not found")
            }
            secret = try Secret(resource)
        } catch let error as PowerError {
            throw error
        } catch {
            throw .invalidConfiguration("server \(server): \(field)From: cannot read secret \(namespace)/\(reference.name): \(error)")
        }
        guard let value = secret.string(forKey: reference.key), !value.isEmpty else {
            throw .invalidConfiguration("server \(server): \(field)From: secret \(namespace)/\(reference.name) has no key \"\(reference.key)\"")
        }
        return value
    }
}

struct ServerNotFound: Error, CustomStringConvertible {
    let name: String
    var description: String { "server \(name) not found" }
}
