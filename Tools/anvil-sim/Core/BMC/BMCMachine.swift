import AnvilIPMI

/// One simulated BMC's IPMI v2.0 LAN behaviour as a pure state machine (docs/simulator.md "BMC"):
/// a received datagram, the chassis as it is now and the time go in; the answer (or none) and
/// what to do to the chassis come out. No sockets, no clocks, no locks: `SimulatedBMC` wraps it.
public struct BMCMachine: Sendable {
    /// Cipher suites offered and accepted (the ones Anvil and ipmitool use).
    public var suites: [UInt8] = [3, 17]
    public var users: BMCUserTable
    /// Sent in RAKP 2 and Get System GUID; enters the RAKP HMACs.
    public let guid: [UInt8]
    /// What Get LAN Configuration Parameters reports (the server sets it once bound).
    public var lanAddress: [UInt8] = [127, 0, 0, 1]
    public var lanPort: UInt16 = 623
    /// Seconds Get Chassis Status keeps saying "on" after a power-off (BMCFaults.powerLieSeconds).
    public var powerLieSeconds: Double = 0
    /// Sessions unused this long are forgotten, as real BMCs do (60 s is common).
    public var sessionTimeout: Duration = .seconds(60)
    /// Open sessions allowed at once; beyond, Open Session answers "insufficient resources".
    public var maximumSessions = 32
    public internal(set) var statistics = BMCStatistics()

    var handshakes: [UInt32: BMCHandshake] = [:]
    var sessions: [UInt32: BMCSession] = [:]
    var boot = BMCBootOptions()
    /// Until when Get Chassis Status reports "on" although the chassis is off.
    var powerLieUntil: ContinuousClock.Instant?

    public init(user: String = "admin", password: String, guid: [UInt8]? = nil) {
        users = BMCUserTable(user: user, password: password)
        self.guid = guid ?? (0..<16).map { _ in UInt8.random(in: 0...255) }
    }

    /// Sessions open now (for tests and statistics).
    public var openSessions: Int { sessions.count }

    /// Answers one datagram. Garbage, replays and packets for unknown sessions get no answer,
    /// as on real BMCs: a client only ever sees a timeout for them.
    public mutating func receive(_ datagram: [UInt8], chassis: BMCChassisView, now: ContinuousClock.Instant) -> BMCReply {
        statistics.datagramsReceived += 1
        let reply: BMCReply
        switch try? IPMIDatagram.kind(of: datagram) {
        case .asf: reply = BMCReply(answer: Self.presencePong(datagram))
        case .ipmi15: reply = sessionless(datagram)
        case .rmcpPlus: reply = rmcpPlus(datagram, chassis: chassis, now: now)
        case nil: reply = BMCReply()
        }
        if reply.answer != nil { statistics.datagramsAnswered += 1 }
        return reply
    }

    mutating func count(_ request: IPMIRequest, inSession: Bool) {
        if inSession { statistics.commands += 1 } else { statistics.sessionlessCommands += 1 }
        statistics.commandsByKey[BMCCommandKey(netFn: request.netFn, command: request.command), default: 0] += 1
    }
}

/// The machine's answer to one datagram.
public struct BMCReply: Sendable, Equatable {
    /// The datagram to send back, if any.
    public var answer: [UInt8]?
    /// What the command does to the chassis, applied after the answer is decided.
    public var effects: [BMCChassisEffect]
    /// In-session answers are the ones a slow BMC (BMCFaults.commandDelay) holds back.
    public var inSession: Bool

    public init(answer: [UInt8]? = nil, effects: [BMCChassisEffect] = [], inSession: Bool = false) {
        self.answer = answer
        self.effects = effects
        self.inSession = inSession
    }
}

/// A handshake between Open Session and RAKP 3 (IPMI v2.0 spec §13.17–13.23).
struct BMCHandshake: Sendable {
    var consoleSessionID: UInt32
    var suite: IPMICipherSuite
    var requestedPrivilege: UInt8
    var exchange: RAKPKeyExchange?
    var userPrivilege: UInt8 = 0
}

/// An established RMCP+ session.
struct BMCSession: Sendable {
    var consoleSessionID: UInt32
    var keys: RMCPPlusSessionKeys
    /// Kept to answer a repeated RAKP 3 whose RAKP 4 was lost.
    var exchange: RAKPKeyExchange
    var privilege: UInt8
    var privilegeLimit: UInt8
    var inbound = IPMISequenceWindow()
    var outbound: UInt32 = 0
    var lastUsed: ContinuousClock.Instant
}

/// System boot option parameters the BMC keeps itself (IPMI v2.0 spec §28.13, table 28-14); the
/// override itself lives in the chassis, which consumes it at power-on.
struct BMCBootOptions: Sendable, Equatable {
    /// Parameter 0, set in progress.
    var setInProgress: UInt8 = 0
    /// Parameter 3, boot flag valid bit clearing.
    var validBitClearing: UInt8 = 0
    /// Parameter 4, boot info acknowledge: mask and data.
    var bootInfoAcknowledge: [UInt8] = [0x00, 0x00]
    /// Parameter 5 byte 1 bit 5, as last written.
    var efi = false
    /// Parameter 5 bytes 3–5, as last written.
    var flagsTail: [UInt8] = [0, 0, 0]
}
