import AnvilHTTPServer
import NIOCore

extension DaemonStandardHTTP {
    /// `/healthz` and `/metrics` for daemons with their own listener; nil for any other path.
    public func response(for path: Substring) async -> HTTPServerResponse? {
        switch path {
        case "/healthz":
            let healthy = await health()
            let body = "{\"status\":\"\(healthy ? "ok" : "unhealthy")\",\"service\":\"\(service)\"}\n"
            return .text(healthy ? .ok : .serviceUnavailable, body, contentType: "application/json")
        case "/metrics":
            return HTTPServerResponse(
                status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                body: .bytes(ByteBuffer(bytes: await metricsText())))
        default:
            return nil
        }
    }
}
