import AnvilDaemon
import AnvilHTTPServer
import NIOCore
import Prometheus

/// Dispatches metadatad's routes: `/configdata`, the agent API, `/healthz`, `/metrics`.
struct MetadataRouter: Sendable {
    let configData: ConfigDataHandler
    let agent: AgentAPI
    let standard: DaemonStandardHTTP
    let metrics: MetadataMetrics

    func respond(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let started = ContinuousClock.now
        let (route, response) = await route(request)
        metrics.latency.record(ContinuousClock.now - started)
        metrics.request(route: route, status: Int(response.status.code))
        return response
    }

    private func route(_ request: HTTPServerRequest) async -> (String, HTTPServerResponse) {
        let path = request.path
        if path.hasPrefix(AgentAPI.prefix) {
            return ("agent", await agent.respond(request, rest: path.dropFirst(AgentAPI.prefix.count)))
        }
        guard request.method == .GET || request.method == .HEAD else {
            var response = HTTPServerResponse.text(.methodNotAllowed, "\(request.method) not allowed on \(path.prefix(200))\n")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return ("other", response)
        }
        switch path {
        case "/configdata":
            return ("configdata", await configData.respond(request))
        case "/healthz", "/metrics":
            return (String(path.dropFirst()), await standard.response(for: path) ?? .text(.notFound, "no such path\n"))
        default:
            return ("other", .text(.notFound, "no such path: \(path.prefix(200)) (metadatad serves /configdata, \(AgentAPI.prefix)…, /healthz, /metrics)\n"))
        }
    }
}

/// Requests by route and status class, and latency.
final class MetadataMetrics: Sendable {
    static let routes = ["configdata", "agent", "healthz", "metrics", "other"]
    private let requests: [String: Counter]
    let latency: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        var requests: [String: Counter] = [:]
        for route in Self.routes {
            for outcome in ["2xx", "3xx", "4xx", "5xx"] {
                requests["\(route) \(outcome)"] = registry.makeCounter(
                    descriptor: .init(namespace: "anvil", subsystem: "metadata", metricName: "http_requests", unitName: "total",
                                      helpText: "HTTP requests by route and status class."),
                    labels: [("route", route), ("outcome", outcome)])
            }
        }
        self.requests = requests
        latency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "anvil", subsystem: "metadata", metricName: "request_duration", unitName: "seconds",
                              helpText: "Time to produce a response."),
            buckets: [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
                      .milliseconds(10), .milliseconds(25), .milliseconds(100), .seconds(1)])
    }

    func request(route: String, status: Int) {
        let outcome = status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx"
        requests["\(route) \(outcome)"]?.increment()
    }
}
