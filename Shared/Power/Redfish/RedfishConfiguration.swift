/// How to reach one system's Redfish service; bmcd fills it from the Server's `spec.redfish`
/// with the credentials already read from their Secrets.
public struct RedfishConfiguration: Sendable, Hashable {
    public enum Authentication: String, Sendable, Hashable, CaseIterable {
        /// HTTP basic authentication on every request.
        case basic
        /// One Redfish session (`X-Auth-Token`), opened on first use and closed by `shutdown()`.
        case session
    }

    /// `https://10.0.0.5`, `https://bmc:8443` or `http://127.0.0.1:8000`: scheme, host and port only.
    public var endpoint: String
    /// The `Id` of the system under `/redfish/v1/Systems`; nil when the BMC has exactly one.
    public var systemId: String?
    public var user: String
    public var password: String
    public var authentication: Authentication
    /// Accept any certificate (self-signed BMCs). Off unless asked for.
    public var insecureSkipVerify: Bool
    /// The limit for each request, connection included.
    public var timeout: Duration
    /// How long a power cycle made of ForceOff then On waits to see the system off.
    public var powerOffWait: Duration
    /// How often that wait looks at the power state.
    public var powerPollInterval: Duration

    public init(
        endpoint: String, systemId: String? = nil, user: String = "", password: String = "",
        authentication: Authentication = .session, insecureSkipVerify: Bool = false,
        timeout: Duration = .seconds(10), powerOffWait: Duration = .seconds(60), powerPollInterval: Duration = .seconds(1)
    ) {
        self.endpoint = endpoint
        self.systemId = systemId
        self.user = user
        self.password = password
        self.authentication = authentication
        self.insecureSkipVerify = insecureSkipVerify
        self.timeout = timeout
        self.powerOffWait = powerOffWait
        self.powerPollInterval = powerPollInterval
    }
}

extension RedfishConfiguration: CustomStringConvertible {
    /// Everything but the password, so that a configuration can be logged.
    public var description: String {
        "Redfish \(endpoint) system \(systemId ?? "(the only one)") user \"\(user)\" auth \(authentication.rawValue)"
            + (insecureSkipVerify ? " insecureSkipVerify" : "") + " timeout \(timeout.secondsText)"
    }
}
