/// The DHCP client's state machine for getting a first lease (RFC 2131 section 4.4: INIT →
/// SELECTING → REQUESTING → BOUND), with no sockets or clocks: the driver feeds it events with
/// the time elapsed since the attempt began and carries out the actions it returns.
///
/// Retransmissions back off 4 s, 8 s, 16 s… up to `maximumRetransmission`; the whole attempt
/// fails at `deadline`. The first usable offer wins; later ones are ignored. A DHCPNAK, or a
/// request that `requestAttempts` retransmissions leave unanswered, starts over with a new xid.
public struct DHCPClient: Sendable {
    /// Where the client is in RFC 2131's diagram.
    public enum State: Hashable, Sendable {
        case initial
        case selecting
        case requesting(offered: IPv4Address, server: IPv4Address)
        case bound(DHCPLease)
        case failed(DHCPClientFailure)
    }

    public let configuration: DHCPClientConfiguration
    public private(set) var state: State = .initial
    /// The transaction id replies must carry now.
    public private(set) var xid: UInt32
    private var interval: Duration = .zero
    private var retransmitAt: Duration = .zero
    private var sentInState = 0
    private var discoversSent = 0
    private var lastProblem: String?

    public init(configuration: DHCPClientConfiguration) {
        self.configuration = configuration
        xid = configuration.xid
    }

    /// Handles one event at `now` (time since `start`) and returns what to do, in order.
    public mutating func handle(_ event: DHCPClientEvent, at now: Duration) -> [DHCPClientAction] {
        switch (event, state) {
        case (_, .bound), (_, .failed): return []
        case (.start, .initial): return discover(at: now, newTransaction: false)
        case (.start, _): return []
        case (.timerExpired, .initial): return []
        case (.timerExpired, _): return timerExpired(at: now)
        case (.received(let message), _): return received(message, at: now)
        }
    }

    private mutating func timerExpired(at now: Duration) -> [DHCPClientAction] {
        if now >= configuration.deadline { return fail() }
        guard now >= retransmitAt else { return [waitAction()] }
        switch state {
        case .selecting:
            return sendAgain(buildDiscover(at: now), at: now)
        case .requesting(let offered, let server):
            guard sentInState < configuration.requestAttempts else {
                let reason = "\(server) did not answer \(sentInState) DHCPREQUEST for \(offered)"
                return [.restarted(reason: reason)] + discover(at: now, newTransaction: true)
            }
            return sendAgain(buildRequest(offered: offered, server: server, at: now), at: now)
        default:
            return []
        }
    }

    private mutating func received(_ message: DHCPMessage, at now: Duration) -> [DHCPClientAction] {
        guard message.operation == .reply, message.xid == xid,
              message.clientHardwareAddress == configuration.hardwareAddress else {
            return [.ignored(.notForUs)]
        }
        let type: DHCPMessageType?
        let server: IPv4Address?
        do {
            type = try message.messageType
            server = try message.serverIdentifier
        } catch {
            return ignore(.malformed(error.description))
        }
        guard let type else { return ignore(.unexpected("BOOTP reply without a DHCP message type")) }
        switch (type, state) {
        case (.offer, .selecting):
            guard message.yiaddr != .any else { return ignore(.malformed("DHCPOFFER offers 0.0.0.0")) }
            guard let server else { return ignore(.malformed("DHCPOFFER for \(message.yiaddr) names no server (option 54)")) }
            state = .requesting(offered: message.yiaddr, server: server)
            sentInState = 0
            interval = .zero
            return sendAgain(buildRequest(offered: message.yiaddr, server: server, at: now), at: now)
        case (.ack, .requesting(_, let chosen)) where server == nil || server == chosen:
            guard message.yiaddr != .any else { return ignore(.malformed("DHCPACK assigns 0.0.0.0")) }
            do {
                let lease = try DHCPLease(ack: message)
                state = .bound(lease)
                return [.bound(lease)]
            } catch {
                return ignore(.malformed(error.description))
            }
        case (.nak, .requesting(let offered, let chosen)) where server == nil || server == chosen:
            let why = (try? message.serverMessage).flatMap { $0.map { ": \($0)" } } ?? ""
            let reason = "\(chosen) refused \(offered) with DHCPNAK\(why)"
            return [.restarted(reason: reason)] + discover(at: now, newTransaction: true)
        default:
            let from = server.map { " from \($0)" } ?? ""
            return ignore(.unexpected("\(type)\(from) while \(stateName)"))
        }
    }

    /// Enters SELECTING with a fresh DHCPDISCOVER (INIT does nothing but this).
    private mutating func discover(at now: Duration, newTransaction: Bool) -> [DHCPClientAction] {
        if newTransaction { xid &+= 1 }
        state = .selecting
        sentInState = 0
        interval = .zero
        return sendAgain(buildDiscover(at: now), at: now)
    }

    /// Sends `message`, doubles the retransmission interval and waits.
    private mutating func sendAgain(_ message: DHCPMessage, at now: Duration) -> [DHCPClientAction] {
        interval = interval == .zero
            ? configuration.initialRetransmission
            : min(interval * 2, configuration.maximumRetransmission)
        retransmitAt = now + interval
        sentInState += 1
        if case .selecting = state { discoversSent += 1 }
        return [.send(message), waitAction()]
    }

    private func waitAction() -> DHCPClientAction {
        .wait(until: min(retransmitAt, configuration.deadline))
    }

    private mutating func ignore(_ reason: DHCPIgnoreReason) -> [DHCPClientAction] {
        lastProblem = reason.description
        return [.ignored(reason)]
    }

    private mutating func fail() -> [DHCPClientAction] {
        let failure: DHCPClientFailure = switch state {
        case .requesting(_, let server):
            .noAcknowledgement(server: server, requestsSent: sentInState, after: configuration.deadline, lastProblem: lastProblem)
        default:
            .noOffer(discoversSent: discoversSent, after: configuration.deadline, lastProblem: lastProblem)
        }
        state = .failed(failure)
        return [.failed(failure)]
    }

    private var stateName: String {
        switch state {
        case .initial: "not started"
        case .selecting: "selecting an offer"
        case .requesting(let offered, let server): "requesting \(offered) from \(server)"
        case .bound: "bound"
        case .failed: "failed"
        }
    }
}
