import Prometheus

/// Every daemon's HTTP metrics: `anvil_http_requests_total{service,route,outcome}`, the latency
/// histogram `anvil_http_request_duration_seconds{service}` and `anvil_http_served_bytes_total{service}`.
final class HTTPRouteMetrics: Sendable {
    static let outcomes = ["2xx", "3xx", "4xx", "5xx"]

    /// Per route, one counter per status class (index: status / 100 - 2).
    private let requests: [String: [Counter]]
    private let latency: DurationHistogram
    private let bytes: Counter

    init(registry: PrometheusCollectorRegistry, service: String, routes: [String]) {
        var requests: [String: [Counter]] = [:]
        for route in routes {
            requests[route] = Self.outcomes.map { outcome in
                registry.makeCounter(
                    descriptor: .init(namespace: "anvil", subsystem: "http", metricName: "requests", unitName: "total",
                                      helpText: "HTTP requests by route and status class."),
                    labels: [("service", service), ("route", route), ("outcome", outcome)])
            }
        }
        self.requests = requests
        latency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "anvil", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                              helpText: "Time to produce a response (file bodies are sent after)."),
            labels: [("service", service)],
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .seconds(1)])
        bytes = registry.makeCounter(
            descriptor: .init(namespace: "anvil", subsystem: "http", metricName: "served", unitName: "bytes_total",
                              helpText: "Response body bytes served (scripts and files)."),
            labels: [("service", service)])
    }

    /// Counts one answered request, how long it took to produce and its body bytes.
    func record(route: String, status: Int, took: Duration, bytes count: Int) {
        latency.record(took)
        requests[route]?[min(max(status / 100 - 2, 0), 3)].increment()
        if count > 0 { bytes.increment(by: Int64(count)) }
    }
}
