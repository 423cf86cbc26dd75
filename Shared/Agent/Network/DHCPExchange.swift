#if os(Linux)
import AnvilDHCP

/// One DHCP attempt on one interface: the pure `DHCPClient` driven over a `DHCPSocket`, on a
/// thread of its own. Waits poll the socket in slices of at most `pollSlice`, so cancellation
/// is noticed quickly and nothing spins.
struct DHCPExchange: Sendable {
    var interface: NetworkLink
    var configuration: DHCPClientConfiguration
    var log: @Sendable (String) -> Void
    static let pollSlice: Duration = .milliseconds(250)

    /// Runs until the client is bound, fails, or the task is cancelled.
    func run() async throws -> DHCPLease {
        try await BlockingThread.run(name: "dhcp-\(interface.name)") { cancellation in
            try runBlocking(cancellation)
        }
    }

    private func runBlocking(_ cancellation: BlockingThread.Cancellation) throws -> DHCPLease {
        let socket = try DHCPSocket(interface: interface.name)
        let clock = ContinuousClock()
        let start = clock.now
        var client = DHCPClient(configuration: configuration)
        var actions = client.handle(.start, at: .zero)
        var waitUntil = configuration.deadline
        while true {
            for action in actions {
                switch action {
                case .send(let message):
                    try socket.broadcast(message.encoded())
                    log("dhcp: \(interface.name): sent \(Self.describe(message))")
                case .wait(let until):
                    waitUntil = until
                case .bound(let lease):
                    log("dhcp: \(interface.name): DHCPACK from \(lease.serverIdentifier?.description ?? "the server"): \(lease.cidr)")
                    return lease
                case .failed(let failure):
                    throw failure
                case .ignored(.notForUs):
                    break
                case .ignored(let reason):
                    log("dhcp: \(interface.name): ignored a reply: \(reason)")
                case .restarted(let reason):
                    log("dhcp: \(interface.name): \(reason); starting over")
                }
            }
            actions = []
            // Wait for a datagram or the timer, whichever comes first.
            while actions.isEmpty {
                if cancellation.isCancelled { throw CancellationError() }
                let now = clock.now - start
                if now >= waitUntil {
                    actions = client.handle(.timerExpired, at: now)
                    break
                }
                guard let bytes = try socket.receive(timeout: min(waitUntil - now, Self.pollSlice)) else { continue }
                do {
                    let message = try DHCPMessage(decoding: bytes)
                    if message.xid == client.xid, let type = try? message.messageType, type == .offer {
                        log("dhcp: \(interface.name): DHCPOFFER of \(message.yiaddr) from \((try? message.serverIdentifier)?.description ?? "?")")
                    }
                    actions = client.handle(.received(message), at: clock.now - start)
                } catch {
                    log("dhcp: \(interface.name): ignored a malformed packet: \(error)")
                }
            }
        }
    }

    private static func describe(_ message: DHCPMessage) -> String {
        let type = (try? message.messageType)?.description ?? "DHCP message"
        let requested = message.option(DHCPOptionCode.requestedIPAddress).map { " for \(IPv4Address($0.reduce(0) { $0 << 8 | UInt32($1) }))" } ?? ""
        return "\(type)\(requested) (xid 0x\(String(message.xid, radix: 16)))"
    }
}
#endif
