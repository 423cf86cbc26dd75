import AnvilTFTP
import NIOCore

/// The guard of a transfer's port: whoever is not the transfer's client gets ERROR 5 (RFC 1350
/// §4), within the sender's request budget, and the transfer is not disturbed.
final class TFTPForeignTIDHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let client: SocketAddress
    private let server: TFTPServerContext

    init(client: SocketAddress, server: TFTPServerContext) {
        self.client = client
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let sender = unwrapInboundIn(data).remoteAddress
        // The client's own datagrams go to the connected socket; one landing here raced the connect.
        guard sender != client else { return }
        server.metrics.refused("unknown_tid")
        guard server.takeRequestToken(client: sender.ipAddress ?? "\(sender)") else { return }
        let reply = AddressedEnvelope(
            remoteAddress: sender,
            data: TFTPTransferDriver.encode(.error(.unknownTransferID, message: "unknown transfer ID"), allocator: context.channel.allocator))
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
    }

    /// An ICMP error or a full send buffer concerns one datagram.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
