import AnvilJSON

/// What the agent tells the server about the BMC: where it listens and, when the user could be
/// set up, the credentials. `ip` is "0.0.0.0" when the BMC has no address (or none could be
/// read); the server then records a condition and keeps any endpoint the operator set.
public struct BMCReport: Codable, Sendable, Hashable {
    public var ip: String
    public var port: Int
    public var user: String?
    public var pass: String?

    public init(ip: String, port: Int, user: String? = nil, pass: String? = nil) {
        self.ip = ip
        self.port = port
        self.user = user
        self.pass = pass
    }

    /// `{"ip": …, "port": …, "user": …, "pass": …}`, nulls for missing credentials.
    public var json: JSONValue {
        .object([
            "ip": .string(ip),
            "port": .int(Int64(port)),
            "user": user.map { .string($0) } ?? .null,
            "pass": pass.map { .string($0) } ?? .null,
        ])
    }
}
