/// How to reach a server's baseboard management controller (Sidero `spec.bmc`).
public struct BMC: Codable, Sendable, Hashable {
    public var endpoint: String
    /// 0 or absent means 623.
    public var port: Int?
    public var user: String?
    public var pass: String?
    /// Used only when `user` is empty.
    public var userFrom: CredentialSource?
    /// Used only when `pass` is empty.
    public var passFrom: CredentialSource?
    /// Absent means lanplus.
    public var interface: BMCInterface?

    public static let defaultPort = 623

    public init(
        endpoint: String, port: Int? = nil, user: String? = nil, pass: String? = nil,
        userFrom: CredentialSource? = nil, passFrom: CredentialSource? = nil, interface: BMCInterface? = nil
    ) {
        self.endpoint = endpoint
        self.port = port
        self.user = user
        self.pass = pass
        self.userFrom = userFrom
        self.passFrom = passFrom
        self.interface = interface
    }

    /// Takes user and password from keys `user` and `pass` of a Secret (Sidero's
    /// `<uuid>-bmc` layout) instead of inline values.
    public mutating func useCredentials(fromSecret name: String, namespace: String = "default") {
        user = nil
        pass = nil
        userFrom = CredentialSource(secretKeyRef: SecretKeyRef(namespace: namespace, name: name, key: "user"))
        passFrom = CredentialSource(secretKeyRef: SecretKeyRef(namespace: namespace, name: name, key: "pass"))
    }

    /// The port to dial: `port`, with 0/absent meaning 623.
    public var effectivePort: Int { (port ?? 0) == 0 ? Self.defaultPort : port ?? Self.defaultPort }
}

/// Where a credential comes from (Sidero `CredentialSource`).
public struct CredentialSource: Codable, Sendable, Hashable {
    public var secretKeyRef: SecretKeyRef?

    public init(secretKeyRef: SecretKeyRef? = nil) {
        self.secretKeyRef = secretKeyRef
    }
}

/// One key of one Secret. Servers are cluster-scoped, so an absent namespace means "default".
public struct SecretKeyRef: Codable, Sendable, Hashable {
    public var namespace: String?
    public var name: String
    public var key: String

    public init(namespace: String? = nil, name: String, key: String) {
        self.namespace = namespace
        self.name = name
        self.key = key
    }
}

/// The simple HTTP power API (Sidero `spec.managementApi`): `host:port`.
public struct ManagementAPI: Codable, Sendable, Hashable {
    public var endpoint: String

    public init(endpoint: String) {
        self.endpoint = endpoint
    }
}
