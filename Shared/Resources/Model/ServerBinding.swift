/// Binds one Server to one MetalMachine; its name is the server UUID, so creating it is the
/// allocation lock (infrastructure.cluster.x-k8s.io/v1alpha3, cluster-scoped).
public struct ServerBinding: SpecStatusResource {
    public static let resourceKind = ResourceKinds.serverBinding

    public var metadata: ObjectMeta
    public var spec: ServerBindingSpec
    public var status: ServerBindingStatus

    public init(metadata: ObjectMeta, spec: ServerBindingSpec, status: ServerBindingStatus = ServerBindingStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Condition types Sidero's events pipeline sets on bindings.
    public static let conditionTalosInstalled = "TalosInstalled"
    public static let conditionTalosConfigLoaded = "TalosConfigLoaded"
    public static let conditionTalosConfigValidated = "TalosConfigValidated"
}

public struct ServerBindingSpec: Codable, Sendable, Hashable {
    public var metalMachineRef: ObjectReference
    public var serverClassRef: ObjectReference?
    public var siderolink: SideroLink?
    /// Addresses the installed OS reported.
    public var addresses: [String]?
    public var hostname: String?

    public init(
        metalMachineRef: ObjectReference, serverClassRef: ObjectReference? = nil, siderolink: SideroLink? = nil,
        addresses: [String]? = nil, hostname: String? = nil
    ) {
        self.metalMachineRef = metalMachineRef
        self.serverClassRef = serverClassRef
        self.siderolink = siderolink
        self.addresses = addresses
        self.hostname = hostname
    }
}

/// State of the node's SideroLink (WireGuard) tunnel.
public struct SideroLink: Codable, Sendable, Hashable {
    public var address: String?
    public var publicKey: String?

    public init(address: String? = nil, publicKey: String? = nil) {
        self.address = address
        self.publicKey = publicKey
    }
}

public struct ServerBindingStatus: Codable, Sendable, Hashable {
    public var ready: Bool
    public var conditions: [Condition]?

    public init(ready: Bool = false, conditions: [Condition]? = nil) {
        self.ready = ready
        self.conditions = conditions
    }

    private enum CodingKeys: String, CodingKey { case ready, conditions }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ready = try c.decodeIfPresent(Bool.self, forKey: .ready) ?? false
        conditions = try c.decodeIfPresent([Condition].self, forKey: .conditions)
    }
}
