import AnvilJSON
import NIOCore

/// One server-side connection.
///
/// Every request frame becomes a task that prefers this connection's event loop, so the router
/// handler and the reply's write run on the thread that owns the socket: no hop to the
/// cooperative pool and back. Requests still run concurrently; replies carry their ids.
final class BusServerConnection: ChannelInboundHandler {
    typealias InboundIn = BusFrame
    typealias OutboundOut = ByteBuffer

    private let server: BusServer
    private let executor: BusLoopExecutor
    /// Succeeds once the handler is gone and none of its requests is still running.
    let drained: EventLoopPromise<Void>
    private var running: [Int: Task<Void, Never>] = [:]
    /// Completed when no request is running (a stop waiting for the ones in flight).
    private var idleWaiters: [EventLoopPromise<Void>] = []
    private var nextKey = 0
    private var isRemoved = false

    init(server: BusServer, eventLoop: any EventLoop) {
        self.server = server
        self.executor = BusLoopExecutor(eventLoop)
        self.drained = eventLoop.makePromise()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        server.counters.update {
            $0.connectionsAccepted += 1
            $0.activeConnections += 1
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        isRemoved = true
        cancelAll()
        server.counters.update { $0.activeConnections -= 1 }
        if running.isEmpty {
            drained.succeed()
            wakeIdleWaiters()
        }
    }

    /// Succeeds once none of this connection's requests is running (at once if none is). On the
    /// connection's event loop.
    func whenIdle() -> EventLoopFuture<Void> {
        let promise = drained.futureResult.eventLoop.makePromise(of: Void.self)
        if running.isEmpty {
            promise.succeed()
        } else {
            idleWaiters.append(promise)
        }
        return promise.futureResult
    }

    private func wakeIdleWaiters() {
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.succeed() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        server.logConnectionEnd(error)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .payload(let payload):
            start(payload, channel: context.channel)
        case .oversize(let declaredLength):
            let channel = context.channel
            let reply = server.oversizeReply(declaredLength, allocator: channel.allocator)
            channel.writeAndFlush(reply).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func start(_ payload: ByteBuffer, channel: any Channel) {
        let key = nextKey
        nextKey &+= 1
        let server = self.server
        let handler = NIOLoopBound(self, eventLoop: channel.eventLoop)
        // The task's first job is queued behind this read on the same loop, so it is
        // registered in `running` before it can finish.
        running[key] = Task(executorPreference: executor) {
            if let reply = await server.process(payload, allocator: channel.allocator), !Task.isCancelled {
                channel.writeAndFlush(reply, promise: nil)
            }
            if channel.eventLoop.inEventLoop {
                handler.value.finished(key)
            } else {
                channel.eventLoop.execute { handler.value.finished(key) }
            }
        }
    }

    private func finished(_ key: Int) {
        running.removeValue(forKey: key)
        guard running.isEmpty else { return }
        wakeIdleWaiters()
        if isRemoved { drained.succeed() }
    }

    private func cancelAll() {
        for task in running.values { task.cancel() }
    }
}
