import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends one request and reads its whole answer before a deadline, turning every transport
/// failure into a `PowerError` that names the request.
enum HTTPExchange {
    /// BMC answers are small JSON documents; anything this large is not one.
    static let maximumBodyBytes = 4 << 20

    static func perform(
        _ request: HTTPClientRequest, on client: HTTPClient, timeout: Duration
    ) async throws(PowerError) -> HTTPReply {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        do {
            let response = try await client.execute(request, deadline: deadline)
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            return HTTPReply(status: response.status, headers: response.headers, body: body)
        } catch {
            throw TransportFailure.powerError(
                error, request: "\(request.method.rawValue) \(request.url)", timeout: timeout)
        }
    }
}

extension TimeAmount {
    /// A Swift `Duration` as NIO's nanosecond count.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension Duration {
    /// "10 s", "0.5 s": how long we waited, for messages.
    var secondsText: String {
        let (seconds, attoseconds) = components
        guard attoseconds != 0 else { return "\(seconds) s" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return "\(value) s"
    }
}
