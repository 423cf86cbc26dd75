import NIOCore
import NIOHTTP1

/// A request that cannot be parsed gets a response that says why (431 for oversized headers,
/// 400 otherwise) before the connection closes; NIO's own handler sends an empty 400.
final class HTTPProtocolErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// A response has started and not ended: nothing else may be written into it.
    private var responseOpen = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !responseOpen {
            let (status, message) = Self.describe(parserError)
            let body = ByteBuffer(string: message + "\n")
            let headers = HTTPHeaders([
                ("Connection", "close"), ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(body.readableBytes)),
            ])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            // The parser cannot go on after an error: close once the answer is out.
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
        context.fireErrorCaught(error)
    }

    static func describe(_ error: HTTPParserError) -> (HTTPResponseStatus, String) {
        switch error {
        case .headerOverflow: return (.requestHeaderFieldsTooLarge, "request headers too large")
        case .invalidURL: return (.badRequest, "malformed request target")
        case .invalidMethod: return (.badRequest, "unknown request method")
        case .invalidVersion: return (.badRequest, "unsupported HTTP version")
        default: return (.badRequest, "malformed HTTP request (\(error))")
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where !head.isInformational: responseOpen = true
        case .end: responseOpen = false
        default: break
        }
        context.write(data, promise: promise)
    }
}

extension HTTPResponseHead {
    fileprivate var isInformational: Bool { status.code >= 100 && status.code < 200 }
}
