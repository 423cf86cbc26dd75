import AnvilTFTP
import NIOCore

/// The socket of one transfer (its TID): packets from the client drive the transfer; packets from
/// anyone else get ERROR 5 and change nothing (RFC 1350 §4).
final class TFTPTransferChannelHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let transfer: TFTPReadTransfer
    private let client: SocketAddress
    private let clientIP: String
    private let file: String
    private let fileBytes: Int
    private let server: TFTPServerContext
    private var driver: TFTPTransferDriver?

    init(transfer: TFTPReadTransfer, client: SocketAddress, clientIP: String, file: String, fileBytes: Int, server: TFTPServerContext) {
        self.transfer = transfer
        self.client = client
        self.clientIP = clientIP
        self.file = file
        self.fileBytes = fileBytes
        self.server = server
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        let driver = TFTPTransferDriver(
            transfer: transfer, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes,
            channel: channel, context: server, onEnd: { _ in channel.close(promise: nil) })
        self.driver = driver
        driver.start(flush: true)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        if envelope.remoteAddress == client {
            driver?.received(envelope.data)
            return
        }
        server.metrics.refused("unknown_tid")
        let foreignIP = envelope.remoteAddress.ipAddress ?? "\(envelope.remoteAddress)"
        guard server.takeRequestToken(client: foreignIP) else { return }
        let reply = AddressedEnvelope(
            remoteAddress: envelope.remoteAddress,
            data: TFTPTransferDriver.encode(.error(.unknownTransferID, message: "unknown transfer ID"), allocator: context.channel.allocator))
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver?.cancel()
        context.fireChannelInactive()
    }

    /// An ICMP error or a full send buffer concerns one datagram; retransmission covers it.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
