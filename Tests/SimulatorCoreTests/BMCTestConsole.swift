import AnvilIPMI
import SimulatorCore

/// A console built from AnvilIPMI's codecs, talking to a `BMCMachine` without sockets: opens an
/// RMCP+ session step by step and sends commands in it, so each answer can be checked.
struct BMCTestConsole {
    enum Outcome: Equatable {
        case opened
        /// The BMC refused at this RAKP message (2 or 4) with this status.
        case refused(message: Int, status: UInt8)
        case noAnswer
    }

    var suite: IPMICipherSuite
    var user: String
    var password: String
    var consoleID: UInt32 = 0x1122_3344
    var managedID: UInt32 = 0
    var keys: RMCPPlusSessionKeys?
    var sequence: UInt32 = 0
    var requestSequence: UInt8 = 0
    var now = ContinuousClock.now
    /// Sends RAKP 1 and RAKP 3 twice and uses the second answers, as a console does whose first
    /// answers were lost.
    var repeatHandshakeMessages = false

    init(suite: IPMICipherSuite = .suite17, user: String = "admin", password: String) {
        self.suite = suite
        self.user = user
        self.password = password
    }

    static func rmcpPlus(_ type: RMCPPayloadType, _ payload: [UInt8]) -> [UInt8] {
        try! RMCPPlusPacket(payloadType: type, payload: payload).encode(keys: nil)
    }

    static func payload(_ answer: BMCReply) -> [UInt8]? {
        guard let bytes = answer.answer else { return nil }
        return try? RMCPPlusPacket.decode(bytes, keys: nil).payload
    }

    mutating func open(_ bmc: inout BMCMachine, chassis: BMCChassisView = BMCChassisView(isPoweredOn: false)) -> Outcome {
        let open = OpenSessionRequest(tag: 1, requestedPrivilege: .administrator, consoleSessionID: consoleID, suite: suite)
        guard let openBytes = Self.payload(bmc.receive(Self.rmcpPlus(.openSessionRequest, open.encode()), chassis: chassis, now: now)),
              let response = try? OpenSessionResponse.decode(openBytes)
        else { return .noAnswer }
        guard response.status == 0 else { return .refused(message: 0, status: response.status) }
        managedID = response.managedSystemSessionID
        let random = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let role = RAKPMessage1.role(.administrator)
        let rakp1 = RAKPMessage1(tag: 2, managedSystemSessionID: managedID, consoleRandom: random, role: role, userName: Array(user.utf8))
        if repeatHandshakeMessages { _ = bmc.receive(Self.rmcpPlus(.rakp1, rakp1.encode()), chassis: chassis, now: now) }
        guard let rakp2Bytes = Self.payload(bmc.receive(Self.rmcpPlus(.rakp1, rakp1.encode()), chassis: chassis, now: now)),
              let rakp2 = try? RAKPMessage2.decode(rakp2Bytes)
        else { return .noAnswer }
        guard rakp2.status == 0 else { return .refused(message: 2, status: rakp2.status) }
        let exchange = RAKPKeyExchange(
            suite: suite, password: Array(password.utf8), userName: Array(user.utf8), role: role, consoleSessionID: consoleID,
            managedSystemSessionID: managedID, consoleRandom: random, managedSystemRandom: rakp2.managedSystemRandom,
            managedSystemGUID: rakp2.managedSystemGUID)
        // A real console stops here when RAKP 2 does not match its password; this one carries on
        // so the BMC's own RAKP 3 check is seen.
        let rakp3 = RAKPMessage3(tag: 3, status: 0, managedSystemSessionID: managedID, keyExchangeAuthCode: exchange.rakp3AuthCode())
        if repeatHandshakeMessages { _ = bmc.receive(Self.rmcpPlus(.rakp3, rakp3.encode()), chassis: chassis, now: now) }
        guard let rakp4Bytes = Self.payload(bmc.receive(Self.rmcpPlus(.rakp3, rakp3.encode()), chassis: chassis, now: now)),
              let rakp4 = try? RAKPMessage4.decode(rakp4Bytes)
        else { return .noAnswer }
        guard rakp4.status == 0 else { return .refused(message: 4, status: rakp4.status) }
        guard exchange.rakp2Matches(rakp2.keyExchangeAuthCode), exchange.rakp4Matches(rakp4.integrityCheckValue) else {
            return .refused(message: 4, status: 0xFF)
        }
        keys = exchange.sessionKeys()
        return .opened
    }

    /// The in-session datagram for `request` (advancing the sequence numbers).
    mutating func datagram(_ request: IPMIRequest) -> [UInt8] {
        sequence += 1
        requestSequence = (requestSequence + 1) & 0x3F
        let message = IPMIMessage.encodeRequest(request, sequence: requestSequence)
        let packet = RMCPPlusPacket(payloadType: .ipmi, sessionID: managedID, sequence: sequence, payload: message)
        return try! packet.encode(keys: keys!, iv: (0..<16).map { _ in UInt8.random(in: 0...255) })
    }

    func response(_ reply: BMCReply) -> IPMIResponse? {
        guard let bytes = reply.answer, let packet = try? RMCPPlusPacket.decode(bytes, keys: keys!), packet.sessionID == consoleID else { return nil }
        return try? IPMIMessage.decodeResponse(packet.payload).response
    }

    /// Sends `request` in the session; applies the effects to `chassis` as `SimulatedBMC` would.
    mutating func send(_ request: IPMIRequest, to bmc: inout BMCMachine, chassis: SimulatedChassis) -> IPMIResponse? {
        let reply = bmc.receive(datagram(request), chassis: BMCChassisView(chassis), now: now)
        for effect in reply.effects { effect.apply(to: chassis) }
        return response(reply)
    }
}
