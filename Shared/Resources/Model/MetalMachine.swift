/// A request for one server, by serverRef or serverClassRef (infrastructure.cluster.x-k8s.io/v1alpha3).
public struct MetalMachine: SpecStatusResource {
    public static let resourceKind = ResourceKinds.metalMachine

    public var metadata: ObjectMeta
    public var spec: MetalMachineSpec
    public var status: MetalMachineStatus

    public init(
        metadata: ObjectMeta, spec: MetalMachineSpec = MetalMachineSpec(),
        status: MetalMachineStatus = MetalMachineStatus()
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct MetalMachineSpec: Codable, Sendable, Hashable {
    /// `sidero://<server uuid>` once bound.
    public var providerID: String?
    /// The server to use; set by the user, or by the reconciler after allocating from the class.
    public var serverRef: ObjectReference?
    public var serverClassRef: ObjectReference?
    /// Anvil's stand-in for the CAPI Machine's bootstrap reference (Anvil has no Cluster API).
    public var bootstrap: MachineBootstrap?

    public init(
        providerID: String? = nil, serverRef: ObjectReference? = nil, serverClassRef: ObjectReference? = nil,
        bootstrap: MachineBootstrap? = nil
    ) {
        self.providerID = providerID
        self.serverRef = serverRef
        self.serverClassRef = serverClassRef
        self.bootstrap = bootstrap
    }
}

/// Names the Secret (same namespace) whose key `value` is the machine config served to the server.
public struct MachineBootstrap: Codable, Sendable, Hashable {
    public var dataSecretName: String?

    public init(dataSecretName: String? = nil) {
        self.dataSecretName = dataSecretName
    }

    /// The Secret key holding the machine config.
    public static let dataKey = "value"
}

public struct MetalMachineStatus: Codable, Sendable, Hashable {
    public var ready: Bool
    public var addresses: [NodeAddress]?
    public var conditions: [Condition]?
    public var failureReason: String?
    public var failureMessage: String?

    public init(
        ready: Bool = false, addresses: [NodeAddress]? = nil, conditions: [Condition]? = nil,
        failureReason: String? = nil, failureMessage: String? = nil
    ) {
        self.ready = ready
        self.addresses = addresses
        self.conditions = conditions
        self.failureReason = failureReason
        self.failureMessage = failureMessage
    }

    private enum CodingKeys: String, CodingKey { case ready, addresses, conditions, failureReason, failureMessage }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ready = try c.decodeIfPresent(Bool.self, forKey: .ready) ?? false
        addresses = try c.decodeIfPresent([NodeAddress].self, forKey: .addresses)
        conditions = try c.decodeIfPresent([Condition].self, forKey: .conditions)
        failureReason = try c.decodeIfPresent(String.self, forKey: .failureReason)
        failureMessage = try c.decodeIfPresent(String.self, forKey: .failureMessage)
    }
}
