/// Server checks beyond field types (Sidero's server webhook, plus Anvil's stricter ones).
enum ServerRules {
    static func check(_ server: Server) throws {
        let spec = server.spec
        try CommonRules.checkReference(spec.environmentRef, field: "spec.environmentRef")
        if let bmc = spec.bmc {
            try CommonRules.checkPort(bmc.port, field: "spec.bmc.port")
            try checkCredential(bmc.userFrom, field: "spec.bmc.userFrom")
            try checkCredential(bmc.passFrom, field: "spec.bmc.passFrom")
        }
        if let api = spec.managementApi, api.endpoint.isEmpty {
            throw ResourceError.invalid(field: "spec.managementApi.endpoint", message: "required")
        }
        try CommonRules.checkConfigPatches(spec.configPatches, field: "spec.configPatches")
        try CommonRules.checkStrategicPatches(spec.strategicPatches, field: "spec.strategicPatches")
        for (index, address) in (server.status.addresses ?? []).enumerated() where address.type.isEmpty {
            throw ResourceError.invalid(field: "status.addresses[\(index)].type", message: "required")
        }
        try CommonRules.checkConditions(server.status.conditions, field: "status.conditions")
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
