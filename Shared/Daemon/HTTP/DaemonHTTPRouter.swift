import AnvilHTTPServer
import NIOCore
import NIOHTTP1

/// Every daemon's HTTP front (docs/architecture.md "HTTP"): `/healthz`, `/metrics` and the
/// daemon's own routes, with the method check, the 404 naming what is served, and the timing and
/// counting of every request, written once.
public struct DaemonHTTPRouter: Sendable {
    let service: String
    let routes: [DaemonHTTPRoute]
    let metrics: HTTPRouteMetrics
    /// "/a, /b…, /healthz, /metrics" for the 404 message.
    let served: String

    init(
        service: String, routes: [DaemonHTTPRoute], metrics: HTTPRouteMetrics,
        health: @escaping @Sendable () async -> Bool, metricsText: @escaping @Sendable () async -> [UInt8]
    ) {
        self.service = service
        self.routes = routes + [
            DaemonHTTPRoute("healthz", .exact("/healthz")) { _, _ in
                let healthy = await health()
                return .text(
                    healthy ? .ok : .serviceUnavailable, "{\"status\":\"\(healthy ? "ok" : "unhealthy")\",\"service\":\"\(service)\"}\n",
                    contentType: "application/json")
            },
            DaemonHTTPRoute("metrics", .exact("/metrics")) { _, _ in
                HTTPServerResponse(
                    status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                    body: .bytes(ByteBuffer(bytes: await metricsText())))
            },
        ]
        self.metrics = metrics
        served = self.routes.map(\.shown).joined(separator: ", ")
    }

    /// The names requests are counted under: each route's, then "other".
    static func routeNames(_ routes: [DaemonHTTPRoute]) -> [String] {
        routes.map(\.name) + ["healthz", "metrics", "other"]
    }

    public func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let started = ContinuousClock.now
        let (route, response) = await route(request)
        metrics.record(
            route: route, status: Int(response.status.code), took: ContinuousClock.now - started,
            bytes: request.method == .HEAD ? 0 : response.contentLength)
        return response
    }

    private func route(_ request: HTTPServerRequest) async -> (String, HTTPServerResponse) {
        let path = request.path
        for route in routes {
            guard let rest = route.match(path) else { continue }
            guard route.methods.contains(request.method) else {
                let allowed = route.methods.map(\.rawValue).joined(separator: ", ")
                var response = HTTPServerResponse.text(
                    .methodNotAllowed, "\(request.method) not allowed on \(path.prefix(200)): \(service) answers \(allowed)\n")
                response.headers.add(name: "Allow", value: allowed)
                return (route.name, response)
            }
            return (route.name, await route.handler(request, rest))
        }
        return ("other", .text(.notFound, "no such path: \(path.prefix(200)) (\(service) serves \(served))\n"))
    }
}
