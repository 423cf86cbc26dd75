import AnvilIPMI

/// Where a BMC is and how to log in: everything an ``IPMIClient`` needs, hashable so bmcd can
/// keep one client (and its session) per distinct endpoint and credential set.
public struct IPMIEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    /// The BMC key (KG) when the BMC has one set; nil means the password is used (the common case).
    public var kg: [UInt8]?
    public var privilege: IPMIPrivilege
    /// Forces a cipher suite (3 or 17); nil asks the BMC and prefers 17, then 3.
    public var cipherSuite: UInt8?

    public init(
        host: String, port: Int = 623, user: String, password: String, kg: [UInt8]? = nil,
        privilege: IPMIPrivilege = .administrator, cipherSuite: UInt8? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.kg = kg
        self.privilege = privilege
        self.cipherSuite = cipherSuite
    }

    /// `host:port` for messages.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Timing of one exchange: wait `timeout` for an answer, resend up to `retries` times, doubling
/// the wait each time (capped), as ipmitool and FreeIPMI do.
public struct IPMIRetryPolicy: Sendable, Hashable {
    public var timeout: Duration
    public var retries: Int
    public var maximumTimeout: Duration

    public init(timeout: Duration = .seconds(1), retries: Int = 3, maximumTimeout: Duration = .seconds(4)) {
        self.timeout = timeout
        self.retries = retries
        self.maximumTimeout = maximumTimeout
    }

    /// The wait before resend number `attempt` (0 = the first send).
    func timeout(forAttempt attempt: Int) -> Duration {
        var value = timeout
        for _ in 0..<attempt { value = min(value * 2, maximumTimeout) }
        return value
    }
}
