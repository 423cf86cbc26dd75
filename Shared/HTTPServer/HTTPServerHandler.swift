import NIOCore
import NIOHTTP1

/// Sent down each connection's pipeline when the server stops gracefully.
struct HTTPDrainEvent: Sendable {}

/// Answers a handler's response to one request; never throws (handlers turn failures into 5xx).
public typealias HTTPResponder = @Sendable (HTTPServerRequest) async -> HTTPServerResponse

/// Collects one request (head + body up to a limit), asks the responder off the event loop and
/// writes the answer; file bodies go out as a FileRegion (sendfile). NIO's pipelining helper
/// ahead of it holds the next request until this response has ended.
final class HTTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: HTTPResponder
    private let maxBodySize: Int
    private let serverName: String
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false
    /// Requests begun and not yet fully sent (a file body counts until its last byte is out).
    private var inFlight = 0
    /// Set by ``HTTPDrainEvent``: close once nothing is in flight.
    private var draining = false

    init(responder: @escaping HTTPResponder, maxBodySize: Int, serverName: String) {
        self.responder = responder
        self.maxBodySize = maxBodySize
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            inFlight += 1
            self.head = head
            body = nil
            bodyTooLarge = false
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBodySize {
                bodyTooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            if bodyTooLarge {
                let response = HTTPServerResponse.text(.payloadTooLarge, "request body larger than \(maxBodySize) bytes\n")
                write(response, for: head, keepAlive: false, context: context)
                return
            }
            let request = HTTPServerRequest(
                method: head.method, uri: head.uri, headers: head.headers, body: body, remoteAddress: context.channel.remoteAddress)
            body = nil
            let responder = self.responder
            context.eventLoop.makeFutureWithTask { await responder(request) }
                .assumeIsolated()
                .whenSuccess { response in
                    self.write(response, for: head, keepAlive: head.isKeepAlive && !self.draining, context: context)
                }
        }
    }

    private func write(_ response: HTTPServerResponse, for request: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else {
            if case .file(let file) = response.body { try? file.handle.close() }
            inFlight -= 1
            return
        }
        var headers = response.headers
        headers.replaceOrAdd(name: "Server", value: serverName)
        if response.status != .notModified && response.status != .noContent {
            headers.replaceOrAdd(name: "Content-Length", value: String(response.contentLength))
        }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: response.status, headers: headers))), promise: nil)

        let sendsBody = request.method != .HEAD && response.status != .notModified
        var closeFile: NIOFileHandle?
        switch response.body {
        case .empty:
            break
        case .bytes(let buffer):
            if sendsBody { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
        case .file(let file):
            closeFile = file.handle
            if sendsBody && file.length > 0 {
                let region = FileRegion(fileHandle: file.handle, readerIndex: file.offset, endIndex: file.offset + file.length)
                context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: nil)
            }
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            // The region is sent (or the connection failed): the descriptor can go.
            try? closeFile?.close()
            self.inFlight -= 1
            if !keepAlive || (self.draining && self.inFlight == 0) { channel.close(promise: nil) }
        }
    }

    /// A graceful stop: an idle connection closes now, a busy one after its last byte is sent
    /// (NIO's quiescing would close as soon as the end is queued, cutting a file body short).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is HTTPDrainEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        draining = true
        if inFlight == 0 { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        body = nil
        context.fireChannelInactive()
    }
}
