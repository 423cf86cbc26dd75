/// A pool of servers chosen by qualifiers and a label selector (metal.sidero.dev/v1alpha2).
public struct ServerClass: SpecStatusResource {
    public static let resourceKind = ResourceKinds.serverClass
    /// The class that always exists and holds every accepted, uncordoned server.
    public static let anyName = "any"

    public var metadata: ObjectMeta
    public var spec: ServerClassSpec
    public var status: ServerClassStatus

    public init(
        metadata: ObjectMeta, spec: ServerClassSpec = ServerClassSpec(), status: ServerClassStatus = ServerClassStatus()
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct ServerClassSpec: Codable, Sendable, Hashable {
    public var environmentRef: ObjectReference?
    public var qualifiers: Qualifiers?
    public var selector: LabelSelector?
    public var configPatches: [ConfigPatch]?
    public var strategicPatches: [String]?
    public var bootFromDiskMethod: BootFromDiskMethod?

    public init(
        environmentRef: ObjectReference? = nil, qualifiers: Qualifiers? = nil, selector: LabelSelector? = nil,
        configPatches: [ConfigPatch]? = nil, strategicPatches: [String]? = nil,
        bootFromDiskMethod: BootFromDiskMethod? = nil
    ) {
        self.environmentRef = environmentRef
        self.qualifiers = qualifiers
        self.selector = selector
        self.configPatches = configPatches
        self.strategicPatches = strategicPatches
        self.bootFromDiskMethod = bootFromDiskMethod
    }
}

/// v1alpha2 qualifiers. Entries within a category are OR-ed; categories are AND-ed.
public struct Qualifiers: Codable, Sendable, Hashable {
    /// Each entry matches when every field it sets equals the server's (lists by position).
    public var hardware: [HardwareInformation]?
    /// Matches when any single key=value pair of any entry is among the server's labels (Sidero
    /// ORs every pair; `spec.selector` is the AND form).
    public var labelSelectors: [[String: String]]?

    public init(hardware: [HardwareInformation]? = nil, labelSelectors: [[String: String]]? = nil) {
        self.hardware = hardware
        self.labelSelectors = labelSelectors
    }
}

public struct ServerClassStatus: Codable, Sendable, Hashable {
    /// Names (UUIDs) of matching servers not in use, sorted.
    public var serversAvailable: [String]
    /// Names (UUIDs) of matching servers in use, sorted.
    public var serversInUse: [String]

    public init(serversAvailable: [String] = [], serversInUse: [String] = []) {
        self.serversAvailable = serversAvailable
        self.serversInUse = serversInUse
    }

    private enum CodingKeys: String, CodingKey { case serversAvailable, serversInUse }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serversAvailable = try c.decodeIfPresent([String].self, forKey: .serversAvailable) ?? []
        serversInUse = try c.decodeIfPresent([String].self, forKey: .serversInUse) ?? []
    }
}
