import Foundation

/// Server checks beyond field types (Sidero's server webhook, plus Anvil's stricter ones).
enum ServerRules {
    static func check(_ server: Server) throws {
        let spec = server.spec
        try CommonRules.checkReference(spec.environmentRef, field: "spec.environmentRef")
        try HardwareRules.check(spec.hardware, field: "spec.hardware")
        if let hostname = spec.hostname, hostname.utf8.count > NameRules.maximumNameLength {
            // A DNS name's limit; the agent reports it, so it is bounded like the inventory.
            throw ResourceError.invalid(
                field: "spec.hostname",
                message: "is \(hostname.utf8.count) characters long; at most \(NameRules.maximumNameLength) are accepted")
        }
        if let bmc = spec.bmc {
            try CommonRules.checkPort(bmc.port, field: "spec.bmc.port")
            try checkCredential(bmc.userFrom, field: "spec.bmc.userFrom")
            try checkCredential(bmc.passFrom, field: "spec.bmc.passFrom")
        }
        if let api = spec.managementApi, api.endpoint.isEmpty {
            throw ResourceError.invalid(field: "spec.managementApi.endpoint", message: "required")
        }
        if let redfish = spec.redfish {
            try checkRedfishEndpoint(redfish.endpoint, field: "spec.redfish.endpoint")
            try checkCredential(redfish.userFrom, field: "spec.redfish.userFrom")
            try checkCredential(redfish.passFrom, field: "spec.redfish.passFrom")
            if let systemId = redfish.systemId, systemId.isEmpty || systemId.contains("/") {
                throw ResourceError.invalid(
                    field: "spec.redfish.systemId", message: "\"\(systemId)\" is not a system Id (non-empty, no \"/\")")
            }
        }
        try CommonRules.checkConfigPatches(spec.configPatches, field: "spec.configPatches")
        try CommonRules.checkStrategicPatches(spec.strategicPatches, field: "spec.strategicPatches")
        for (index, address) in (server.status.addresses ?? []).enumerated() where address.type.isEmpty {
            throw ResourceError.invalid(field: "status.addresses[\(index)].type", message: "required")
        }
        try CommonRules.checkConditions(server.status.conditions, field: "status.conditions")
    }

    /// The service's origin only: http or https, a host, an optional port, no path (Redfish
    /// always lives under /redfish/v1), the same rule bmcd's Redfish back-end applies.
    private static func checkRedfishEndpoint(_ endpoint: String, field: String) throws {
        guard !endpoint.isEmpty else { throw ResourceError.invalid(field: field, message: "required") }
        func bad(_ why: String) -> ResourceError {
            .invalid(field: field, message: "\"\(endpoint)\" \(why)")
        }
        guard let url = URLComponents(string: endpoint), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { throw bad("is not an http or https URL (e.g. https://10.0.0.5)") }
        guard let host = url.host, !host.isEmpty else { throw bad("has no host") }
        guard url.path.isEmpty || url.path == "/" else {
            throw bad("must not have a path (the service is always under /redfish/v1)")
        }
        guard url.query == nil, url.fragment == nil, url.user == nil else {
            throw bad("must not have a query, fragment or user part")
        }
        if let port = url.port, !(1...65535).contains(port) {
            throw bad("has a port outside 1-65535")
        }
    }

    private static func checkCredential(_ source: CredentialSource?, field: String) throws {
        guard let source else { return }
        guard let ref = source.secretKeyRef else {
            throw ResourceError.invalid(field: "\(field).secretKeyRef", message: "required")
        }
        guard NameRules.isDNS1123Subdomain(ref.name) else {
            throw ResourceError.invalid(
                field: "\(field).secretKeyRef.name", message: "\"\(ref.name)\" \(NameRules.dns1123SubdomainMessage)")
        }
        guard !ref.key.isEmpty else {
            throw ResourceError.invalid(field: "\(field).secretKeyRef.key", message: "required")
        }
    }
}
