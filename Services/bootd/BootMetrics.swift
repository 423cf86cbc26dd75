import AnvilDaemon
import Prometheus

/// bootd's Prometheus metrics: requests by route and outcome with latency, decisions by branch,
/// bytes served.
final class BootMetrics: Sendable {
    static let routes = ["boot.ipxe", "ipxe", "env", "tftp", "healthz", "metrics", "other"]
    static let branches = ["agent", "disk", "environment", "environment_missing", "environment_not_ready", "bad_request", "error"]

    let requests: HTTPRouteMetrics
    private let decisions: [String: Counter]
    let bytes: Counter

    init(registry: PrometheusCollectorRegistry) {
        requests = HTTPRouteMetrics(
            registry: registry, subsystem: "boot", routes: Self.routes,
            latencyHelp: "Time to produce a response (file bodies are sent after).")
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
    }

    func decision(_ branch: String) {
        decisions[branch]?.increment()
    }
}
