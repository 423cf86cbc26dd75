import NIOCore
import NIOHTTP1

/// One complete HTTP answer: status, headers and the whole body.
struct HTTPReply: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer

    var text: String { String(buffer: body) }

    /// "HTTP 500 Internal Server Error", for messages.
    var statusLine: String { "HTTP \(status.code) \(status.reasonPhrase)" }
}
