import AnvilJSON
import NIOCore

/// One outbound frame from a ``BusClient``: the payload and the calls waiting for its answers.
struct BusClientWrite: Sendable {
    struct Waiter: Sendable {
        var id: Int64
        /// Succeeds with the response (result or error response); fails on transport errors.
        var promise: EventLoopPromise<Result<JSONValue, BusError>>
        var timeoutError: BusError
    }

    var payload: ByteBuffer
    var waiters: [Waiter]
    var deadline: NIODeadline

    /// The connection went away before the request's bytes were handed to the kernel, so the
    /// peer cannot have seen it: the client may reconnect and send it again.
    struct NotSent: Error {}
}

/// The client end of a connection: matches responses to pending calls by id, times calls out,
/// and fails everything pending the moment the connection goes away.
final class BusClientHandler: ChannelDuplexHandler {
    typealias InboundIn = BusFrame
    typealias OutboundIn = BusClientWrite
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var waiter: BusClientWrite.Waiter
        var timer: Scheduled<Void>
        /// Set once the frame carrying this request was written to the socket.
        var sent = false
    }

    private let socketPath: String
    private let maxFrameSize: Int
    private var pending: [Int64: Pending] = [:]
    private var isActive = false
    private var closedError: BusError?

    init(socketPath: String, maxFrameSize: Int) {
        self.socketPath = socketPath
        self.maxFrameSize = maxFrameSize
    }

    func handlerAdded(context: ChannelHandlerContext) {
        isActive = context.channel.isActive
    }

    func channelActive(context: ChannelHandlerContext) {
        isActive = true
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        let error = closedError ?? .connectionClosed(path: socketPath)
        let entries = pending
        pending.removeAll()
        for entry in entries.values {
            entry.timer.cancel()
            entry.waiter.promise.fail(entry.sent ? error : BusClientWrite.NotSent())
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(.connectionClosed(path: socketPath).withData(.string("\(error)")))
        context.close(promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let write = unwrapOutboundIn(data)
        guard isActive else {
            for waiter in write.waiters { waiter.promise.fail(BusClientWrite.NotSent()) }
            promise?.fail(BusClientWrite.NotSent())
            return
        }
        let loop = context.eventLoop.assumeIsolated()
        for waiter in write.waiters {
            let id = waiter.id
            let timer = loop.scheduleTask(deadline: write.deadline) { [weak self] () -> Void in
                self?.timeOut(id)
            }
            pending[id] = Pending(waiter: waiter, timer: timer)
        }
        guard !write.waiters.isEmpty else {
            context.write(wrapOutboundOut(write.payload), promise: promise)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        let ids = write.waiters.map(\.id)
        written.futureResult.assumeIsolated().whenSuccess { [weak self] in
            self?.markSent(ids)
        }
        if let promise { written.futureResult.cascade(to: promise) }
        context.write(wrapOutboundOut(write.payload), promise: written)
    }

    private func markSent(_ ids: [Int64]) {
        for id in ids { pending[id]?.sent = true }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .oversize(let declaredLength):
            closedError = .frameTooLarge(size: declaredLength, limit: maxFrameSize)
                .withData(.string("received from the bus peer at \(socketPath)"))
            context.close(promise: nil)
        case .payload(let payload):
            guard let message = try? BusJSON.parse(payload) else {
                closedError = .connectionClosed(path: socketPath).withData("the peer sent a frame that is not JSON")
                context.close(promise: nil)
                return
            }
            switch message {
            case .array(let responses):
                for response in responses { deliver(response) }
            default:
                deliver(message)
            }
        }
    }

    private func deliver(_ message: JSONValue) {
        guard let response = try? JSONRPCResponse.parse(message),
            case .number(let id) = response.id,
            let entry = pending.removeValue(forKey: id)
        else { return }
        entry.timer.cancel()
        entry.waiter.promise.succeed(response.outcome)
    }

    private func timeOut(_ id: Int64) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        entry.waiter.promise.fail(entry.waiter.timeoutError)
    }

    private func failAll(_ error: BusError) {
        let entries = pending
        pending.removeAll()
        for entry in entries.values {
            entry.timer.cancel()
            entry.waiter.promise.fail(error)
        }
    }
}
