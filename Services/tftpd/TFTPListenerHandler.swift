import AnvilTFTP
import NIOCore
import NIOPosix

/// The listening socket (UDP 69): takes requests, refuses what it must, and starts transfers —
/// each on a new socket (its own TID, RFC 1350 §4) or, with `--single-port`, on this socket,
/// keyed by the client's address.
final class TFTPListenerHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let server: TFTPServerContext
    private let group: any EventLoopGroup
    /// Single-port mode: the transfers this socket carries, by client address and port.
    private var transfers: [SocketAddress: TFTPTransferDriver] = [:]

    init(server: TFTPServerContext, group: any EventLoopGroup) {
        self.server = server
        self.group = group
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let client = envelope.remoteAddress
        if let driver = transfers[client] {
            driver.received(envelope.data)
            return
        }
        let clientIP = client.ipAddress ?? "\(client)"
        guard server.takeRequestToken(client: clientIP) else { return }
        switch TFTPRequestDecision.decide(envelope.data, clientIP: clientIP, context: server) {
        case .ignore:
            return
        case .refuse(let packet, let reason):
            if !reason.isEmpty { server.metrics.refused(reason) }
            server.logger.debug("request refused", metadata: ["client": "\(clientIP):\(client.port ?? 0)", "reply": "\(packet)"])
            let reply = AddressedEnvelope(remoteAddress: client, data: TFTPTransferDriver.encode(packet, allocator: context.channel.allocator))
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        case .start(let transfer, let file, let fileBytes):
            if server.settings.singlePort {
                let driver = TFTPTransferDriver(
                    transfer: transfer, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes,
                    channel: context.channel, context: server,
                    onEnd: { [weak self] driver in
                        if self?.transfers[driver.client] === driver { self?.transfers[driver.client] = nil }
                    })
                transfers[client] = driver
                driver.start(flush: false)
            } else {
                let local = envelope.metadata?.packetInfo?.destinationAddress ?? context.channel.localAddress
                startOnOwnPort(
                    transfer, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes,
                    localAddress: local, listener: context.channel)
            }
        }
    }

    /// Binds a new socket on the address the request came to (so the reply comes from the address
    /// the client talked to) and an ephemeral port, and runs the transfer there.
    private func startOnOwnPort(
        _ transfer: TFTPReadTransfer, client: SocketAddress, clientIP: String, file: String, fileBytes: Int,
        localAddress: SocketAddress?, listener: any Channel
    ) {
        let server = self.server
        let bindAddress: SocketAddress
        do {
            bindAddress = try SocketAddress(ipAddress: localAddress?.ipAddress ?? server.settings.address, port: 0)
        } catch {
            server.abandoned(clientIP: clientIP, reason: "no local address: \(error)")
            return
        }
        DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_sndbuf), value: 1 << 20)
            // One read per wake-up: a client sends one ACK per window, so a second read would
            // nearly always be an EAGAIN (half of all recvmsg calls). NIO's epoll is
            // level-triggered, so a datagram still queued wakes the loop again.
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TFTPTransferChannelHandler(
                        transfer: transfer, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes, server: server))
                }
            }
            .bind(to: bindAddress)
            .whenFailure { error in
                server.abandoned(clientIP: clientIP, reason: "cannot open a transfer socket on \(bindAddress): \(error)")
                let reply = AddressedEnvelope(
                    remoteAddress: client,
                    data: listener.allocator.buffer(bytes: TFTPPacket.error(.notDefined, message: "server cannot open a transfer port").encode()))
                listener.writeAndFlush(reply, promise: nil)
            }
    }

    /// Single-port mode: everything the reads of this cycle produced leaves in one flush.
    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        for driver in transfers.values { driver.cancel() }
        transfers.removeAll()
        context.fireChannelInactive()
    }

    /// Socket errors (an ICMP unreachable surfacing, a full buffer) concern one datagram, not the server.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        server.logger.debug("listener socket error", metadata: ["error": "\(error)"])
    }
}
