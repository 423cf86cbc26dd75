import AnvilIPMI
import NIOCore
import NIOPosix
import Synchronization

/// A small in-process BMC built from AnvilIPMI's own codecs (each message encodes both ways), for
/// what ipmi_sim cannot show: cipher suite 17, lost and duplicated datagrams, a forgotten session,
/// the "not supported in present state" answer, and how many commands arrive at once.
final class FakeBMC: Sendable {
    struct Behaviour: Sendable {
        var suites: [UInt8] = [3, 17]
        var user = "admin"
        var password = "password"
        /// Datagrams to ignore before answering (counts down; tests retransmission).
        var dropNext = 0
        /// Send every answer twice (tests the replay window).
        var duplicateAnswers = false
        /// Corrupt the RAKP 2 code (an impostor BMC).
        var badRAKP2 = false
        /// Answer Chassis Control "cycle" with 0xD5 while off.
        var refuseCycleWhileOff = true
        /// Hold each in-session answer this long (to see commands overlap, if they did).
        var answerDelay: Duration = .zero
    }

    struct State: Sendable {
        var behaviour: Behaviour
        var poweredOn = false
        var bootFlags: [UInt8] = [0, 0, 0, 0, 0]
        var sessions: [UInt32: Session] = [:]
        var sessionsOpened = 0
        var commands: [UInt8] = []
        var inFlight = 0
        var maxInFlight = 0
        var pending: [UInt32: Pending] = [:]
        /// A four-slot user table; slots not listed answer Get User Name with "invalid data".
        var userNames: [UInt8: String] = [1: "", 2: "admin"]
    }

    struct Pending: Sendable {
        var consoleSessionID: UInt32
        var suite: IPMICipherSuite
        var managedRandom: [UInt8] = []
        var consoleRandom: [UInt8] = []
        var role: UInt8 = 0
        var userName: [UInt8] = []
        var exchange: RAKPKeyExchange?
    }

    struct Session: Sendable {
        var consoleSessionID: UInt32
        var keys: RMCPPlusSessionKeys
        var outbound: UInt32 = 0
    }

    let state: LockedState
    let channel: any Channel
    var port: Int { channel.localAddress!.port! }
    static let guid: [UInt8] = Array(0..<16)

    init(_ behaviour: Behaviour = Behaviour()) async throws {
        let state = LockedState(State(behaviour: behaviour))
        self.state = state
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FakeBMCHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    var snapshot: State { state.withLock { $0 } }

    /// Forgets every session, as a BMC restart or expiry would.
    func forgetSessions() { state.withLock { $0.sessions.removeAll() } }

    func stop() async { try? await channel.close() }
}

final class FakeBMCHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let state: LockedState

    init(state: LockedState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        let drop = state.withLock { state -> Bool in
            if state.behaviour.dropNext > 0 { state.behaviour.dropNext -= 1; return true }
            return false
        }
        if drop { return }
        let (answers, delay) = answer(bytes)
        let duplicate = state.withLock { $0.behaviour.duplicateAnswers }
        let channel = context.channel
        let send: @Sendable () -> Void = {
            for answer in answers {
                for _ in 0..<(duplicate ? 2 : 1) {
                    channel.writeAndFlush(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: channel.allocator.buffer(bytes: answer)), promise: nil)
                }
            }
            self.state.withLock { $0.inFlight -= 1 }
        }
        state.withLock { state in
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
        }
        if delay > .zero {
            context.eventLoop.scheduleTask(in: .nanoseconds(Int64(delay.components.seconds) * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000)) { send() }
        } else {
            send()
        }
    }

    private func answer(_ bytes: [UInt8]) -> ([[UInt8]], Duration) {
        guard let kind = try? IPMIDatagram.kind(of: bytes) else { return ([], .zero) }
        switch kind {
        case .asf: return ([], .zero)
        case .ipmi15:
            guard let message = try? IPMI15Packet.decode(bytes), let (request, sequence) = try? IPMIMessage.decodeRequest(message) else { return ([], .zero) }
            let response = sessionless(request)
            return ([IPMI15Packet.encode(message: IPMIMessage.encodeResponse(response, sequence: sequence))], .zero)
        case .rmcpPlus:
            return rmcpPlus(bytes)
        }
    }

    private func sessionless(_ request: IPMIRequest) -> IPMIResponse {
        switch (request.netFn, request.command) {
        case (0x06, 0x38):
            // Get Channel Authentication Capabilities: channel 1, IPMI v2.0 extended data.
            return IPMIResponse(netFn: 0x07, command: 0x38, completionCode: 0, data: [0x01, 0x80 | 0x17, 0x04, 0x02, 0, 0, 0, 0])
        case (0x06, 0x54):
            let suites = state.withLock { $0.behaviour.suites }
            var records: [UInt8] = []
            for id in suites {
                let suite = IPMICipherSuite.supported(id: id)!
                records += [0xC0, id, suite.authentication.rawValue, 0x40 | suite.integrity.rawValue, 0x80 | suite.confidentiality.rawValue]
            }
            let index = Int(request.data.count > 2 ? request.data[2] & 0x3F : 0)
            let page = Array(records.dropFirst(index * 16).prefix(16))
            return IPMIResponse(netFn: 0x07, command: 0x54, completionCode: 0, data: [0x01] + page)
        default:
            return IPMIResponse(netFn: request.netFn | 1, command: request.command, completionCode: 0xC1, data: [])
        }
    }

    private func rmcpPlus(_ bytes: [UInt8]) -> ([[UInt8]], Duration) {
        guard let clear = try? RMCPPlusPacket.decode(bytes, keys: nil) else {
            return inSession(bytes)
        }
        switch clear.payloadType {
        case .openSessionRequest:
            guard let request = try? OpenSessionRequest.decode(clear.payload) else { return ([], .zero) }
            let offered = state.withLock { $0.behaviour.suites }
            guard offered.contains(request.suite.id) else {
                let refused = OpenSessionResponse(
                    tag: request.tag, status: 0x11, maximumPrivilege: 0, consoleSessionID: request.consoleSessionID, managedSystemSessionID: 0,
                    authenticationAlgorithm: 0, integrityAlgorithm: 0, confidentialityAlgorithm: 0)
                return ([try! RMCPPlusPacket(payloadType: .openSessionResponse, payload: refused.encode()).encode(keys: nil, iv: [])], .zero)
            }
            let managedID = UInt32.random(in: 1...UInt32.max)
            state.withLock { $0.pending[managedID] = FakeBMC.Pending(consoleSessionID: request.consoleSessionID, suite: request.suite) }
            let response = OpenSessionResponse(
                tag: request.tag, status: 0, maximumPrivilege: 4, consoleSessionID: request.consoleSessionID, managedSystemSessionID: managedID,
                authenticationAlgorithm: request.suite.authentication.rawValue, integrityAlgorithm: request.suite.integrity.rawValue,
                confidentialityAlgorithm: request.suite.confidentiality.rawValue)
            return ([try! RMCPPlusPacket(payloadType: .openSessionResponse, payload: response.encode()).encode(keys: nil, iv: [])], .zero)
        case .rakp1:
            guard let message = try? RAKPMessage1.decode(clear.payload) else { return ([], .zero) }
            let (behaviour, pending) = state.withLock { ($0.behaviour, $0.pending[message.managedSystemSessionID]) }
            guard var pending else { return ([], .zero) }
            guard String(decoding: message.userName, as: UTF8.self) == behaviour.user else {
                let refused = RAKPMessage2(
                    tag: message.tag, status: 0x0D, consoleSessionID: pending.consoleSessionID, managedSystemRandom: [UInt8](repeating: 0, count: 16),
                    managedSystemGUID: FakeBMC.guid, keyExchangeAuthCode: [])
                return ([try! RMCPPlusPacket(payloadType: .rakp2, payload: refused.encode()).encode(keys: nil, iv: [])], .zero)
            }
            pending.managedRandom = (0..<16).map { _ in UInt8.random(in: 0...255) }
            let exchange = RAKPKeyExchange(
                suite: pending.suite, password: Array(behaviour.password.utf8), userName: message.userName, role: message.role,
                consoleSessionID: pending.consoleSessionID, managedSystemSessionID: message.managedSystemSessionID,
                consoleRandom: message.consoleRandom, managedSystemRandom: pending.managedRandom, managedSystemGUID: FakeBMC.guid)
            pending.exchange = exchange
            state.withLock { $0.pending[message.managedSystemSessionID] = pending }
            var code = exchange.rakp2AuthCode()
            if behaviour.badRAKP2 { code[0] ^= 0xFF }
            let reply = RAKPMessage2(
                tag: message.tag, status: 0, consoleSessionID: pending.consoleSessionID, managedSystemRandom: pending.managedRandom,
                managedSystemGUID: FakeBMC.guid, keyExchangeAuthCode: code)
            return ([try! RMCPPlusPacket(payloadType: .rakp2, payload: reply.encode()).encode(keys: nil, iv: [])], .zero)
        case .rakp3:
            guard let message = try? RAKPMessage3.decode(clear.payload) else { return ([], .zero) }
            guard let pending = state.withLock({ $0.pending.removeValue(forKey: message.managedSystemSessionID) }), let exchange = pending.exchange else {
                return ([], .zero)
            }
            guard message.keyExchangeAuthCode == exchange.rakp3AuthCode() else {
                let refused = RAKPMessage4(tag: message.tag, status: 0x0F, consoleSessionID: pending.consoleSessionID, integrityCheckValue: [])
                return ([try! RMCPPlusPacket(payloadType: .rakp4, payload: refused.encode()).encode(keys: nil, iv: [])], .zero)
            }
            state.withLock { state in
                state.sessions[message.managedSystemSessionID] = FakeBMC.Session(consoleSessionID: pending.consoleSessionID, keys: exchange.sessionKeys())
                state.sessionsOpened += 1
            }
            let reply = RAKPMessage4(tag: message.tag, status: 0, consoleSessionID: pending.consoleSessionID, integrityCheckValue: exchange.rakp4IntegrityCheckValue())
            return ([try! RMCPPlusPacket(payloadType: .rakp4, payload: reply.encode()).encode(keys: nil, iv: [])], .zero)
        default:
            return ([], .zero)
        }
    }

    private func inSession(_ bytes: [UInt8]) -> ([[UInt8]], Duration) {
        // The session ID sits at a fixed offset (RMCP 4 + AuthType 1 + PayloadType 1).
        guard bytes.count >= 10 else { return ([], .zero) }
        let id = UInt32(bytes[6]) | UInt32(bytes[7]) << 8 | UInt32(bytes[8]) << 16 | UInt32(bytes[9]) << 24
        guard let session = state.withLock({ $0.sessions[id] }),
              let packet = try? RMCPPlusPacket.decode(bytes, keys: session.keys),
              let (request, sequence) = try? IPMIMessage.decodeRequest(packet.payload)
        else { return ([], .zero) }
        let (response, delay) = state.withLock { state -> (IPMIResponse, Duration) in
            state.commands.append(request.command)
            return (Self.execute(request, &state), state.behaviour.answerDelay)
        }
        let outbound = state.withLock { state -> UInt32 in
            state.sessions[id]?.outbound += 1
            return state.sessions[id]?.outbound ?? 1
        }
        let reply = RMCPPlusPacket(
            payloadType: .ipmi, sessionID: session.consoleSessionID, sequence: outbound, payload: IPMIMessage.encodeResponse(response, sequence: sequence))
        return ([try! reply.encode(keys: session.keys, iv: (0..<16).map { _ in UInt8.random(in: 0...255) })], delay)
    }

    static func execute(_ request: IPMIRequest, _ state: inout FakeBMC.State) -> IPMIResponse {
        func ok(_ data: [UInt8] = []) -> IPMIResponse { IPMIResponse(netFn: request.netFn | 1, command: request.command, completionCode: 0, data: data) }
        switch (request.netFn, request.command) {
        case (0x06, 0x3B): return ok([request.data.first ?? 4])
        case (0x06, 0x3C): return ok()
        case (0x06, 0x01): return ok([0x20, 0x01, 0x02, 0x15, 0x02, 0xBF, 0x57, 0x01, 0x00, 0x34, 0x12])
        case (0x00, 0x01): return ok([state.poweredOn ? 0x01 : 0x00, 0x00, 0x00])
        case (0x00, 0x02):
            switch request.data.first ?? 0xFF {
            case 0: state.poweredOn = false
            case 1: state.poweredOn = true
            case 2:
                if !state.poweredOn && state.behaviour.refuseCycleWhileOff {
                    return IPMIResponse(netFn: 0x01, command: 0x02, completionCode: 0xD5, data: [])
                }
                state.poweredOn = true
            case 3: state.poweredOn = true
            case 5: state.poweredOn = false
            default: return IPMIResponse(netFn: 0x01, command: 0x02, completionCode: 0xCC, data: [])
            }
            return ok()
        case (0x00, 0x08):
            if request.data.first.map({ $0 & 0x7F }) == 5 { state.bootFlags = Array(request.data.dropFirst()) }
            return ok()
        case (0x00, 0x09):
            return ok([0x01, 0x05] + state.bootFlags)
        case (0x06, 0x44): return ok([4, 1, 1, 0x14])
        case (0x06, 0x46):
            guard let name = request.data.first.flatMap({ state.userNames[$0] }) else {
                return IPMIResponse(netFn: 0x07, command: 0x46, completionCode: 0xCC, data: [])
            }
            return ok(Array(name.utf8) + [UInt8](repeating: 0, count: 16 - name.utf8.count))
        case (0x06, 0x45):
            guard let id = request.data.first else { return IPMIResponse(netFn: 0x07, command: 0x45, completionCode: 0xC7, data: []) }
            state.userNames[id] = String(decoding: request.data.dropFirst().prefix { $0 != 0 }, as: UTF8.self)
            return ok()
        case (0x06, 0x43), (0x06, 0x47): return ok()
        default:
            return IPMIResponse(netFn: request.netFn | 1, command: request.command, completionCode: 0xC1, data: [])
        }
    }
}

/// The fake BMC's state, shared by the test and the channel handler.
final class LockedState: Sendable {
    private let mutex: Mutex<FakeBMC.State>
    init(_ state: FakeBMC.State) { mutex = Mutex(state) }
    func withLock<R>(_ body: (inout FakeBMC.State) -> R) -> R { mutex.withLock { body(&$0) } }
}
