import NIOCore
import NIOPosix

/// One connected UDP socket to one BMC. Datagrams that arrive while nobody waits are queued
/// (a few; older ones are dropped), so a late answer is seen and discarded by the session layer
/// instead of being mistaken for the next one. A connected socket also turns an ICMP "port
/// unreachable" into an error, so "nothing listening" is reported at once, not after all retries.
final class IPMIDatagramSocket: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<IPMIDatagramHandler>

    private init(channel: any Channel, handler: NIOLoopBound<IPMIDatagramHandler>) {
        self.channel = channel
        self.handler = handler
    }

    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> IPMIDatagramSocket {
        let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IPMIDatagramHandler())
                }
            }
            .connect(to: address)
            .get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: IPMIDatagramHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return IPMIDatagramSocket(channel: channel, handler: handler)
    }

    func send(_ bytes: [UInt8]) async throws {
        let buffer = channel.allocator.buffer(bytes: bytes)
        try await channel.writeAndFlush(buffer)
    }

    /// The next datagram, or nil when `timeout` passes first. Throws when the kernel reported an
    /// error for this socket (ICMP unreachable: nothing listens on the BMC's port).
    func receive(timeout: Duration) async throws -> [UInt8]? {
        let handler = self.handler
        let eventLoop = channel.eventLoop
        return try await eventLoop.flatSubmit {
            handler.value.waitForDatagram(timeout: TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000), eventLoop: eventLoop)
        }.get()
    }

    /// Drops queued datagrams (before a fresh exchange whose answers must not mix with old ones).
    func discardQueued() async {
        let handler = self.handler
        try? await channel.eventLoop.submit { handler.value.discardQueued() }.get()
    }

    func close() async {
        try? await channel.close()
    }
}

/// Confined to the channel's event loop.
final class IPMIDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private static let queueLimit = 16
    private var queue: [[UInt8]] = []
    private var waiter: EventLoopPromise<[UInt8]?>?
    private var waiterTimer: Scheduled<Void>?
    private var pendingError: (any Error)?

    func waitForDatagram(timeout: TimeAmount, eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]?> {
        if let error = pendingError {
            pendingError = nil
            return eventLoop.makeFailedFuture(error)
        }
        if !queue.isEmpty { return eventLoop.makeSucceededFuture(queue.removeFirst()) }
        waiter?.succeed(nil)
        let promise = eventLoop.makePromise(of: [UInt8]?.self)
        waiter = promise
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        waiterTimer = eventLoop.scheduleTask(in: timeout) {
            let handler = loopBoundSelf.value
            guard let waiter = handler.waiter, waiter.futureResult === promise.futureResult else { return }
            handler.waiter = nil
            waiter.succeed(nil)
        }
        return promise.futureResult
    }

    func discardQueued() {
        queue.removeAll()
        pendingError = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        if let waiter {
            self.waiter = nil
            waiterTimer?.cancel()
            waiter.succeed(bytes)
            return
        }
        if queue.count >= Self.queueLimit { queue.removeFirst() }
        queue.append(bytes)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let waiter {
            self.waiter = nil
            waiterTimer?.cancel()
            waiter.fail(error)
        } else {
            pendingError = error
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let waiter {
            self.waiter = nil
            waiterTimer?.cancel()
            waiter.fail(ChannelError.ioOnClosedChannel)
        }
        context.fireChannelInactive()
    }
}
