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
        case .start(let transfer, let data, let file, let fileBytes):
            if server.settings.singlePort {
                let driver = TFTPTransferDriver(
                    transfer: transfer, data: data, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes,
                    output: .shared(context), context: server,
                    onEnd: { [weak self] driver in
                        if self?.transfers[driver.client] === driver { self?.transfers[driver.client] = nil }
                    })
                transfers[client] = driver
                driver.start(flush: false)
            } else {
                let local = envelope.metadata?.packetInfo?.destinationAddress ?? context.channel.localAddress
                TFTPTransferSocket.open(
                    transfer, data: data, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes,
                    localAddress: local, group: group, listener: context.channel, server: server)
            }
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
