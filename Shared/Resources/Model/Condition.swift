/// A Cluster API condition (sigs.k8s.io/cluster-api v1beta1 Condition), as on Server,
/// MetalMachine and ServerBinding status.
public struct Condition: Codable, Sendable, Hashable {
    public var type: String
    /// "True", "False" or "Unknown".
    public var status: String
    /// "Error", "Warning", "Info" or empty.
    public var severity: String?
    /// RFC 3339 time.
    public var lastTransitionTime: String?
    public var reason: String?
    public var message: String?

    public init(
        type: String, status: String, severity: String? = nil, lastTransitionTime: String? = nil,
        reason: String? = nil, message: String? = nil
    ) {
        self.type = type
        self.status = status
        self.severity = severity
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    public static let statusValues = ["True", "False", "Unknown"]
    public static let severityValues = ["Error", "Warning", "Info", ""]
}

/// corev1.NodeAddress / CAPI MachineAddress: `{type: InternalIP, address: 10.0.0.5}`.
public struct NodeAddress: Codable, Sendable, Hashable {
    public var type: String
    public var address: String

    public init(type: String, address: String) {
        self.type = type
        self.address = address
    }
}
