import AnvilTFTP
import NIOCore
import NIOPosix

/// Opens the socket of one transfer (its TID, RFC 1350 §4): a new port on the address the request
/// came to (so replies come from the address the client talked to), connected to the client, plus a
/// guard socket on the same port that answers anyone else with ERROR 5.
///
/// Why two sockets: a connected socket sends without a route lookup or an address to convert and
/// receives only the client's datagrams, which is most of a transfer's cost at a boot storm's
/// rate. The kernel delivers to the socket that matches a datagram best, so the client's packets
/// reach the connected one and foreign ones the unconnected guard.
///
/// The transfer socket is made by ``TFTPConnectedSocket`` (bind, then SO_REUSEADDR, then connect,
/// in that order) and handed to NIO, which polls, reads and closes it; the guard is an ordinary
/// NIO datagram channel bound to the same port before the first DATA leaves.
enum TFTPTransferSocket {
    static func open(
        _ transfer: TFTPReadTransfer, data: TFTPDataSource, client: SocketAddress, clientIP: String, file: String, fileBytes: Int,
        localAddress: SocketAddress?, group: any EventLoopGroup, listener: any Channel, server: TFTPServerContext
    ) {
        let bindAddress: SocketAddress
        do {
            bindAddress = try SocketAddress(ipAddress: localAddress?.ipAddress ?? server.settings.address, port: 0)
        } catch {
            server.abandoned(clientIP: clientIP, reason: "no local address: \(error)")
            return
        }
        let socket: TFTPConnectedSocket
        do {
            socket = try TFTPConnectedSocket.open(local: bindAddress, client: client, sendBuffer: 1 << 20)
        } catch {
            refuse(client: client, clientIP: clientIP, listener: listener, server: server, reason: "cannot open a transfer socket on \(bindAddress): \(error)")
            return
        }
        // The guard first, so that nobody meets a port without it once the first DATA is out.
        let eventLoop = group.next()
        openGuard(on: eventLoop, local: socket.localAddress, client: client, server: server).whenComplete { guardResult in
            let guardChannel = try? guardResult.get()
            DatagramBootstrap(group: eventLoop)
                // One read per wake-up: a client sends one ACK per window, so a second read would
                // nearly always be an EAGAIN (half of all recvmsg calls). NIO's epoll is
                // level-triggered, so a datagram still queued wakes the loop again.
                .channelOption(.maxMessagesPerRead, value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(TFTPTransferChannelHandler(
                            transfer: transfer, data: data, socket: socket, client: client, clientIP: clientIP, file: file, fileBytes: fileBytes,
                            server: server))
                    }
                }
                .withBoundSocket(socket.descriptor)
                .whenComplete { result in
                    switch result {
                    case .success(let channel):
                        if let guardChannel { channel.closeFuture.whenComplete { _ in guardChannel.close(promise: nil) } }
                    case .failure(let error):
                        guardChannel?.close(promise: nil)
                        refuse(client: client, clientIP: clientIP, listener: listener, server: server, reason: "cannot open a transfer socket on \(bindAddress): \(error)")
                    }
                }
        }
    }

    private static func refuse(client: SocketAddress, clientIP: String, listener: any Channel, server: TFTPServerContext, reason: String) {
        server.abandoned(clientIP: clientIP, reason: reason)
        let reply = AddressedEnvelope(
            remoteAddress: client,
            data: listener.allocator.buffer(bytes: TFTPPacket.error(.notDefined, message: "server cannot open a transfer port").encode()))
        listener.writeAndFlush(reply, promise: nil)
    }

    /// The guard lives as long as the transfer's socket. Without it (a bind refused in some odd
    /// race) the transfer still runs; strangers then get ICMP port unreachable instead of ERROR 5.
    private static func openGuard(on eventLoop: any EventLoop, local: SocketAddress?, client: SocketAddress, server: TFTPServerContext) -> EventLoopFuture<any Channel> {
        guard let local else {
            server.logger.warning("no guard socket for a transfer: its local address is unknown")
            return eventLoop.makeFailedFuture(ChannelError.unknownLocalAddress)
        }
        let bound = DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TFTPForeignTIDHandler(client: client, server: server))
                }
            }
            .bind(to: local)
        bound.whenFailure { error in
            server.logger.warning("no guard socket for a transfer: strangers get ICMP instead of ERROR 5", metadata: [
                "local": "\(local)", "error": "\(error)"])
        }
        return bound
    }
}
