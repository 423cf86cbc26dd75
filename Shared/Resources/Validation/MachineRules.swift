/// Checks for the Cluster API kinds: MetalCluster, MetalMachine(Template), ServerBinding.
enum MachineRules {
    static func check(_ cluster: MetalCluster) throws {
        try CommonRules.checkPort(cluster.spec.controlPlaneEndpoint?.port, field: "spec.controlPlaneEndpoint.port")
    }

    static func check(_ machine: MetalMachine) throws {
        try checkSpec(machine.spec, field: "spec")
        try CommonRules.checkConditions(machine.status.conditions, field: "status.conditions")
    }

    static func check(_ template: MetalMachineTemplate) throws {
        try checkSpec(template.spec.template.spec, field: "spec.template.spec")
    }

    static func check(_ binding: ServerBinding) throws {
        guard let name = binding.spec.metalMachineRef.name, !name.isEmpty else {
            throw ResourceError.invalid(field: "spec.metalMachineRef.name", message: "required")
        }
        try CommonRules.checkReference(binding.spec.serverClassRef, field: "spec.serverClassRef")
        try CommonRules.checkConditions(binding.status.conditions, field: "status.conditions")
    }

    /// Both refs may be set: Sidero records the allocated server in serverRef on a machine
    /// that asked for a class, and restores it from the binding if cleared.
    private static func checkSpec(_ spec: MetalMachineSpec, field: String) throws {
        try CommonRules.checkReference(spec.serverRef, field: "\(field).serverRef")
        try CommonRules.checkReference(spec.serverClassRef, field: "\(field).serverClassRef")
        if let name = spec.serverRef?.name, !NameRules.isUUID(name) {
            throw ResourceError.invalid(field: "\(field).serverRef.name", message: "\"\(name)\" \(NameRules.uuidMessage)")
        }
        if let secret = spec.bootstrap?.dataSecretName, !NameRules.isDNS1123Subdomain(secret) {
            throw ResourceError.invalid(
                field: "\(field).bootstrap.dataSecretName", message: "\"\(secret)\" \(NameRules.dns1123SubdomainMessage)")
        }
    }
}
