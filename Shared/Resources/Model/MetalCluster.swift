/// A cluster and its control plane endpoint (infrastructure.cluster.x-k8s.io/v1alpha3).
public struct MetalCluster: SpecStatusResource {
    public static let resourceKind = ResourceKinds.metalCluster

    public var metadata: ObjectMeta
    public var spec: MetalClusterSpec
    public var status: MetalClusterStatus

    public init(
        metadata: ObjectMeta, spec: MetalClusterSpec = MetalClusterSpec(),
        status: MetalClusterStatus = MetalClusterStatus()
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct MetalClusterSpec: Codable, Sendable, Hashable {
    public var controlPlaneEndpoint: APIEndpoint?

    public init(controlPlaneEndpoint: APIEndpoint? = nil) {
        self.controlPlaneEndpoint = controlPlaneEndpoint
    }
}

/// CAPI APIEndpoint: where the control plane listens.
public struct APIEndpoint: Codable, Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

public struct MetalClusterStatus: Codable, Sendable, Hashable {
    public var ready: Bool

    public init(ready: Bool = false) {
        self.ready = ready
    }

    private enum CodingKeys: String, CodingKey { case ready }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ready = try c.decodeIfPresent(Bool.self, forKey: .ready) ?? false
    }
}
