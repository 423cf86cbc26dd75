import AnvilTFTP
import NIOCore

/// The connected socket of one transfer (see ``TFTPTransferSocket``): every datagram on it comes
/// from the client and drives the transfer.
final class TFTPTransferChannelHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let transfer: TFTPReadTransfer
    private let data: TFTPDataSource
    private let socket: TFTPConnectedSocket
    private let client: SocketAddress
    private let clientIP: String
    private let file: String
    private let fileBytes: Int
    private let server: TFTPServerContext
    private var driver: TFTPTransferDriver?

    init(transfer: TFTPReadTransfer, data: TFTPDataSource, socket: TFTPConnectedSocket, client: SocketAddress, clientIP: String, file: String, fileBytes: Int, server: TFTPServerContext) {
        self.transfer = transfer
        self.data = data
        self.socket = socket
        self.client = client
        self.clientIP = clientIP
        self.file = file
        self.fileBytes = fileBytes
        self.server = server
    }

    /// The socket is registered: the transfer starts.
    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        let driver = TFTPTransferDriver(
            transfer: transfer, data: data, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes,
            output: .connected(context, socket), context: server, onEnd: { _ in channel.close(promise: nil) })
        self.driver = driver
        driver.start(flush: true)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        driver?.received(unwrapInboundIn(data).data)
    }

    // No flush on channelReadComplete: the driver sends on the socket itself, so NIO never holds
    // a write of this channel (an empty flush still costs a trip through the pipeline).

    func channelInactive(context: ChannelHandlerContext) {
        driver?.cancel()
        context.fireChannelInactive()
    }

    /// An ICMP error (the client's port closed) or a full send buffer concerns one datagram;
    /// retransmission or the retry budget deals with it.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
