import NIOCore
import NIOHTTP1

/// One complete HTTP request as a handler sees it (head plus a bounded body).
public struct HTTPServerRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent (`/ipxe?uuid=…`).
    public var uri: String
    public var headers: HTTPHeaders
    public var body: ByteBuffer?
    public var remoteAddress: SocketAddress?

    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil, remoteAddress: SocketAddress? = nil) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The path part of the target, still percent-encoded.
    public var path: Substring {
        uri.firstIndex(of: "?").map { uri[..<$0] } ?? uri[...]
    }

    /// The query string after `?` (empty when there is none).
    public var queryString: Substring {
        uri.firstIndex(of: "?").map { uri[uri.index(after: $0)...] } ?? ""
    }

    /// Client IP for logs and events (`-` when unknown).
    public var clientIP: String {
        remoteAddress?.ipAddress ?? "-"
    }
}
