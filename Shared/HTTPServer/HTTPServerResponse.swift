import NIOCore
import NIOHTTP1

/// What a handler answers. File bodies are written with `sendfile` by the server.
public struct HTTPServerResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: Body

    public enum Body: Sendable {
        case empty
        case bytes(ByteBuffer)
        /// `length` bytes of an open file from `offset`; the server closes the descriptor.
        case file(HTTPFileBody)
    }

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text body with its content type (errors, scripts).
    public static func text(_ status: HTTPResponseStatus, _ text: String, contentType: String = "text/plain; charset=utf-8") -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: ["Content-Type": contentType], body: .bytes(ByteBuffer(string: text)))
    }

    /// Body length as written in Content-Length.
    public var contentLength: Int {
        switch body {
        case .empty: return 0
        case .bytes(let buffer): return buffer.readableBytes
        case .file(let file): return file.length
        }
    }
}

/// A byte range of an open file to send as a response body.
public struct HTTPFileBody: Sendable {
    public let handle: NIOFileHandle
    public let offset: Int
    public let length: Int

    public init(handle: NIOFileHandle, offset: Int, length: Int) {
        self.handle = handle
        self.offset = offset
        self.length = length
    }
}
