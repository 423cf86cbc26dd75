import NIOCore
import NIOHTTP1

/// Closes a connection whose client takes longer than `timeout` to send a complete request
/// (head and body), counted from when the server is ready for it: the connection opened, or the
/// previous response was sent. So a slowloris client (a header byte a second) or an idle
/// keep-alive connection cannot hold a connection forever. While a response is being produced and
/// sent no timer runs: a large sendfile body to a slow client takes as long as it takes.
///
/// The connection is closed without an answer, as Go's ReadHeaderTimeout and nginx's
/// client_header_timeout do: between requests there is no request a response could answer.
final class HTTPRequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    /// Requests whose head has arrived and whose response has not been sent yet (pipelining).
    private var unanswered = 0
    /// A request's head has arrived but not its end: the client is still sending.
    private var receiving = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            receiving = true
        case .body:
            break
        case .end:
            // The whole request is in: the responder's time is not the client's.
            receiving = false
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        // Armed once the response has left (a file body may take long), unless another
        // pipelined request is already complete and waiting for its own answer.
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.assumeIsolated().whenComplete { _ in
            self.unanswered = max(0, self.unanswered - 1)
            guard context.channel.isActive else { return }
            if self.unanswered == 0 || self.receiving { self.arm(context: context) }
        }
        context.write(data, promise: written)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    private func arm(context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
