/// One physical machine; its name is the SMBIOS system UUID (metal.sidero.dev/v1alpha2).
public struct Server: SpecStatusResource {
    public static let resourceKind = ResourceKinds.server

    public var metadata: ObjectMeta
    public var spec: ServerSpec
    public var status: ServerStatus

    public init(metadata: ObjectMeta, spec: ServerSpec = ServerSpec(), status: ServerStatus = ServerStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// Sidero's condition types on Server.status.
    public static let conditionPowerCycle = "PowerCycle"
    public static let conditionPXEBooted = "PXEBooted"
    /// Anvil's own: whether bmcd reaches the BMC (written by bmcd, read by the allocator).
    public static let conditionBMCReady = "BMCReady"
}

public struct ServerSpec: Codable, Sendable, Hashable {
    public var environmentRef: ObjectReference?
    public var hardware: HardwareInformation?
    public var hostname: String?
    public var bmc: BMC?
    public var managementApi: ManagementAPI?
    /// Anvil only: Sidero has no Redfish block (bmcd speaks Redfish itself).
    public var redfish: Redfish?
    public var configPatches: [ConfigPatch]?
    /// Talos strategic-merge patches (YAML documents), applied after configPatches.
    public var strategicPatches: [String]?
    /// Not omitempty in Sidero: absent decodes as false.
    public var accepted: Bool
    public var cordoned: Bool?
    public var pxeBootAlways: Bool?
    public var bootFromDiskMethod: BootFromDiskMethod?
    public var pxeMode: PXEMode?

    public init(
        environmentRef: ObjectReference? = nil, hardware: HardwareInformation? = nil, hostname: String? = nil,
        bmc: BMC? = nil, managementApi: ManagementAPI? = nil, redfish: Redfish? = nil,
        configPatches: [ConfigPatch]? = nil, strategicPatches: [String]? = nil, accepted: Bool = false,
        cordoned: Bool? = nil, pxeBootAlways: Bool? = nil, bootFromDiskMethod: BootFromDiskMethod? = nil,
        pxeMode: PXEMode? = nil
    ) {
        self.environmentRef = environmentRef
        self.hardware = hardware
        self.hostname = hostname
        self.bmc = bmc
        self.managementApi = managementApi
        self.redfish = redfish
        self.configPatches = configPatches
        self.strategicPatches = strategicPatches
        self.accepted = accepted
        self.cordoned = cordoned
        self.pxeBootAlways = pxeBootAlways
        self.bootFromDiskMethod = bootFromDiskMethod
        self.pxeMode = pxeMode
    }

    private enum CodingKeys: String, CodingKey {
        case environmentRef, hardware, hostname, bmc, managementApi, redfish, configPatches, strategicPatches
        case accepted, cordoned, pxeBootAlways, bootFromDiskMethod, pxeMode
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        environmentRef = try c.decodeIfPresent(ObjectReference.self, forKey: .environmentRef)
        hardware = try c.decodeIfPresent(HardwareInformation.self, forKey: .hardware)
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
        bmc = try c.decodeIfPresent(BMC.self, forKey: .bmc)
        managementApi = try c.decodeIfPresent(ManagementAPI.self, forKey: .managementApi)
        redfish = try c.decodeIfPresent(Redfish.self, forKey: .redfish)
        configPatches = try c.decodeIfPresent([ConfigPatch].self, forKey: .configPatches)
        strategicPatches = try c.decodeIfPresent([String].self, forKey: .strategicPatches)
        accepted = try c.decodeIfPresent(Bool.self, forKey: .accepted) ?? false
        cordoned = try c.decodeIfPresent(Bool.self, forKey: .cordoned)
        pxeBootAlways = try c.decodeIfPresent(Bool.self, forKey: .pxeBootAlways)
        bootFromDiskMethod = try c.decodeIfPresent(BootFromDiskMethod.self, forKey: .bootFromDiskMethod)
        pxeMode = try c.decodeIfPresent(PXEMode.self, forKey: .pxeMode)
    }
}

public struct ServerStatus: Codable, Sendable, Hashable {
    public var ready: Bool
    public var inUse: Bool
    public var isClean: Bool
    public var power: PowerState?
    public var addresses: [NodeAddress]?
    public var conditions: [Condition]?

    public init(
        ready: Bool = false, inUse: Bool = false, isClean: Bool = false, power: PowerState? = nil,
        addresses: [NodeAddress]? = nil, conditions: [Condition]? = nil
    ) {
        self.ready = ready
        self.inUse = inUse
        self.isClean = isClean
        self.power = power
        self.addresses = addresses
        self.conditions = conditions
    }

    private enum CodingKeys: String, CodingKey { case ready, inUse, isClean, power, addresses, conditions }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ready = try c.decodeIfPresent(Bool.self, forKey: .ready) ?? false
        inUse = try c.decodeIfPresent(Bool.self, forKey: .inUse) ?? false
        isClean = try c.decodeIfPresent(Bool.self, forKey: .isClean) ?? false
        power = try c.decodeIfPresent(PowerState.self, forKey: .power)
        addresses = try c.decodeIfPresent([NodeAddress].self, forKey: .addresses)
        conditions = try c.decodeIfPresent([Condition].self, forKey: .conditions)
    }

    /// Replaces the condition of the same type (or adds it).
    public mutating func setCondition(_ condition: Condition) {
        conditions = (conditions ?? []).filter { $0.type != condition.type } + [condition]
    }

    /// The condition of that type, if present.
    public func condition(_ type: String) -> Condition? {
        conditions?.first { $0.type == type }
    }
}
