import AnvilJSON

/// Kubernetes-style object metadata, shared by every kind.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String
    public var namespace: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: String?
    public var deletionTimestamp: String?
    public var finalizers: [String]?
    public var ownerReferences: [JSONValue]?

    public init(
        name: String, namespace: String? = nil, labels: [String: String]? = nil,
        annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }

    /// The metadata fields a client may set; the rest belong to the store.
    public static let clientFields: Set<String> = ["name", "namespace", "labels", "annotations", "finalizers", "ownerReferences"]
    public static let allFields: Set<String> = clientFields.union([
        "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
    ])
}
