/// A template for many MetalMachines (infrastructure.cluster.x-k8s.io/v1alpha3).
public struct MetalMachineTemplate: SpecStatusResource {
    public static let resourceKind = ResourceKinds.metalMachineTemplate

    public var metadata: ObjectMeta
    public var spec: MetalMachineTemplateSpec
    /// Sidero's template has no status; kept so every kind has the same shape.
    public var status: EmptyStatus

    public init(
        metadata: ObjectMeta, spec: MetalMachineTemplateSpec = MetalMachineTemplateSpec(),
        status: EmptyStatus = EmptyStatus()
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct MetalMachineTemplateSpec: Codable, Sendable, Hashable {
    public var template: MetalMachineTemplateResource

    public init(template: MetalMachineTemplateResource = MetalMachineTemplateResource()) {
        self.template = template
    }

    private enum CodingKeys: String, CodingKey { case template }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        template = try c.decodeIfPresent(MetalMachineTemplateResource.self, forKey: .template)
            ?? MetalMachineTemplateResource()
    }
}

public struct MetalMachineTemplateResource: Codable, Sendable, Hashable {
    public var spec: MetalMachineSpec

    public init(spec: MetalMachineSpec = MetalMachineSpec()) {
        self.spec = spec
    }

    private enum CodingKeys: String, CodingKey { case spec }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        spec = try c.decodeIfPresent(MetalMachineSpec.self, forKey: .spec) ?? MetalMachineSpec()
    }
}

/// A status with no fields.
public struct EmptyStatus: Codable, Sendable, Hashable {
    public init() {}
}
