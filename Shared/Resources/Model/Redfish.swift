/// How to reach a server's Redfish service (Anvil's `spec.redfish`, beside `bmc` and
/// `managementApi`; Sidero has no such block).
public struct Redfish: Codable, Sendable, Hashable {
    /// `https://10.0.0.5`, `https://bmc:8443` or `http://127.0.0.1:8000`: scheme, host, port.
    public var endpoint: String
    /// The system's `Id` under /redfish/v1/Systems; absent when the BMC has exactly one.
    public var systemId: String?
    public var user: String?
    public var pass: String?
    /// Used only when `user` is empty.
    public var userFrom: CredentialSource?
    /// Used only when `pass` is empty.
    public var passFrom: CredentialSource?
    /// Absent means session.
    public var auth: RedfishAuth?
    /// Accept a self-signed certificate. Absent means false.
    public var insecureSkipVerify: Bool?

    public init(
        endpoint: String, systemId: String? = nil, user: String? = nil, pass: String? = nil,
        userFrom: CredentialSource? = nil, passFrom: CredentialSource? = nil, auth: RedfishAuth? = nil,
        insecureSkipVerify: Bool? = nil
    ) {
        self.endpoint = endpoint
        self.systemId = systemId
        self.user = user
        self.pass = pass
        self.userFrom = userFrom
        self.passFrom = passFrom
        self.auth = auth
        self.insecureSkipVerify = insecureSkipVerify
    }

    /// `auth`, with absent meaning session (one login, token reused, logged out at the end).
    public var effectiveAuth: RedfishAuth { auth ?? .session }

    /// `insecureSkipVerify`, with absent meaning false: certificates are checked unless asked otherwise.
    public var effectiveInsecureSkipVerify: Bool { insecureSkipVerify ?? false }
}

/// `redfish.auth`: HTTP basic authentication on every request, or a Redfish session.
public enum RedfishAuth: String, StringEnumeration {
    case basic
    case session
}
