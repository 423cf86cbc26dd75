import Prometheus

/// `anvil_<subsystem>_http_requests_total{route,outcome}` and the request latency histogram, for
/// daemons that serve HTTP themselves (bootd, metadatad).
public final class HTTPRouteMetrics: Sendable {
    static let outcomes = ["2xx", "3xx", "4xx", "5xx"]

    /// Per route, one counter per status class (index: status / 100 - 2).
    private let requests: [String: [Counter]]
    public let latency: DurationHistogram

    public init(registry: PrometheusCollectorRegistry, subsystem: String, routes: [String], latencyHelp: String) {
        var requests: [String: [Counter]] = [:]
        for route in routes {
            requests[route] = Self.outcomes.map { outcome in
                registry.makeCounter(
                    descriptor: .init(namespace: "anvil", subsystem: subsystem, metricName: "http_requests", unitName: "total",
                                      helpText: "HTTP requests by route and status class."),
                    labels: [("route", route), ("outcome", outcome)])
            }
        }
        self.requests = requests
        latency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "anvil", subsystem: subsystem, metricName: "request_duration", unitName: "seconds",
                              helpText: latencyHelp),
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .seconds(1)])
    }

    /// Counts one answered request and how long it took to produce.
    public func record(route: String, status: Int, took: Duration) {
        latency.record(took)
        requests[route]?[min(max(status / 100 - 2, 0), 3)].increment()
    }
}
