import Prometheus
import Synchronization

/// bootd's Prometheus metrics: requests by route and outcome, decisions by branch, bytes served,
/// request latency.
final class BootMetrics: Sendable {
    static let routes = ["boot.ipxe", "ipxe", "env", "tftp", "healthz", "metrics", "other"]
    static let outcomes = ["2xx", "3xx", "4xx", "5xx"]
    static let branches = ["agent", "disk", "environment", "environment_missing", "environment_not_ready", "bad_request", "error"]

    private let requests: [String: Counter]
    private let decisions: [String: Counter]
    let bytes: Counter
    let latency: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        var requests: [String: Counter] = [:]
        for route in Self.routes {
            for outcome in Self.outcomes {
                requests["\(route) \(outcome)"] = registry.makeCounter(
                    descriptor: .init(namespace: "anvil", subsystem: "boot", metricName: "http_requests", unitName: "total",
                                      helpText: "HTTP requests by route and status class."),
                    labels: [("route", route), ("outcome", outcome)])
            }
        }
        self.requests = requests
        var decisions: [String: Counter] = [:]
        for branch in Self.branches {
            decisions[branch] = registry.makeCounter(
                descriptor: .init(namespace: "anvil", subsystem: "boot", metricName: "decisions", unitName: "total",
                                  helpText: "/ipxe answers by decision branch."),
                labels: [("branch", branch)])
        }
        self.decisions = decisions
        bytes = registry.makeCounter(
            descriptor: .init(namespace: "anvil", subsystem: "boot", metricName: "served", unitName: "bytes_total",
                              helpText: "Response body bytes served (scripts and files)."))
        latency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "anvil", subsystem: "boot", metricName: "request_duration", unitName: "seconds",
                              helpText: "Time to produce a response (file bodies are sent after)."),
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .seconds(1)])
    }

    func request(route: String, status: Int) {
        let outcome = status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx"
        requests["\(route) \(outcome)"]?.increment()
    }

    func decision(_ branch: String) {
        decisions[branch]?.increment()
    }
}
