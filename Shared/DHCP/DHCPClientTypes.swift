/// How a `DHCPClient` runs one attempt to get a lease.
public struct DHCPClientConfiguration: Sendable {
    /// The interface's MAC address: chaddr, and option 61 after hardware type 1.
    public var hardwareAddress: [UInt8]
    /// The first transaction id; a restart after a NAK uses the next one. Pick it at random.
    public var xid: UInt32
    /// How long the attempt may take, from `start`, before it fails.
    public var deadline: Duration
    /// The first retransmission interval; each retransmission doubles it (RFC 2131 section 4.1).
    public var initialRetransmission: Duration
    /// The longest retransmission interval (RFC 2131 says 64 s).
    public var maximumRetransmission: Duration
    /// DHCPREQUESTs sent without an answer before starting over with a DHCPDISCOVER.
    public var requestAttempts: Int
    /// Option 55: what the client asks the server for.
    public var requestedOptions: [UInt8]
    /// Option 57, when set: the largest message the client accepts.
    public var maximumMessageSize: UInt16?

    /// Options 1, 3, 6, 12, 15, 26, 28, 121, 51, 54: address, routes, DNS, names, MTU, lease.
    public static let agentOptions: [UInt8] = [1, 3, 6, 12, 15, 26, 28, 121, 51, 54]

    public init(
        hardwareAddress: [UInt8], xid: UInt32, deadline: Duration = .seconds(30),
        initialRetransmission: Duration = .seconds(4), maximumRetransmission: Duration = .seconds(64),
        requestAttempts: Int = 4, requestedOptions: [UInt8] = Self.agentOptions, maximumMessageSize: UInt16? = 1500
    ) {
        self.hardwareAddress = hardwareAddress
        self.xid = xid
        self.deadline = deadline
        self.initialRetransmission = initialRetransmission
        self.maximumRetransmission = maximumRetransmission
        self.requestAttempts = requestAttempts
        self.requestedOptions = requestedOptions
        self.maximumMessageSize = maximumMessageSize
    }
}

/// What happens to a `DHCPClient`: times are durations since the attempt started, so the
/// machine needs no clock and tests drive it with made-up times.
public enum DHCPClientEvent: Sendable {
    /// Begin: send the first DHCPDISCOVER.
    case start
    /// A message arrived on port 68 (already decoded).
    case received(DHCPMessage)
    /// The time from the last `wait(until:)` has come.
    case timerExpired
}

/// What the driver must do, in order.
public enum DHCPClientAction: Hashable, Sendable {
    /// Broadcast this message to port 67.
    case send(DHCPMessage)
    /// Deliver `timerExpired` at this time unless a message comes first (replaces any earlier wait).
    case wait(until: Duration)
    /// Done: apply the lease.
    case bound(DHCPLease)
    /// Done without a lease.
    case failed(DHCPClientFailure)
    /// A message was dropped; worth a log line unless it is `.notForUs`.
    case ignored(DHCPIgnoreReason)
    /// A server refused the request (DHCPNAK) or never answered it: back to DHCPDISCOVER.
    case restarted(reason: String)
}

/// Why a received message did not move the client on.
public enum DHCPIgnoreReason: Hashable, Sendable, CustomStringConvertible {
    /// Another client's reply (xid or chaddr differ), or not a reply at all: normal on a shared network.
    case notForUs
    /// A reply of a type or from a server the client is not waiting for.
    case unexpected(String)
    /// A reply to us whose options do not parse.
    case malformed(String)

    public var description: String {
        switch self {
        case .notForUs: "reply for another client"
        case .unexpected(let text): text
        case .malformed(let text): "malformed reply: \(text)"
        }
    }
}

/// Why an attempt ended without a lease.
public enum DHCPClientFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// No usable DHCPOFFER came before the deadline.
    case noOffer(discoversSent: Int, after: Duration, lastProblem: String?)
    /// An offer came but no DHCPACK for its request before the deadline.
    case noAcknowledgement(server: IPv4Address, requestsSent: Int, after: Duration, lastProblem: String?)

    public var description: String {
        switch self {
        case .noOffer(let sent, let after, let problem):
            "no DHCPOFFER within \(after) (\(sent) DHCPDISCOVER sent)" + (problem.map { "; last problem: \($0)" } ?? "")
        case .noAcknowledgement(let server, let sent, let after, let problem):
            "no DHCPACK from \(server) within \(after) (\(sent) DHCPREQUEST sent)" + (problem.map { "; last problem: \($0)" } ?? "")
        }
    }
}
