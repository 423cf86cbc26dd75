import Prometheus

/// bootd's own metric: `/ipxe` answers by decision branch (requests, latency and bytes are the
/// skeleton's `anvil_http_*`).
final class BootMetrics: Sendable {
    static let branches = [
        "agent", "disk", "environment", "environment_missing", "environment_not_ready", "unknown_mac", "attempt_conflict",
        "bad_request", "error",
    ]

    private let decisions: [String: Counter]

    init(registry: PrometheusCollectorRegistry) {
        var decisions: [String: Counter] = [:]
        for branch in Self.branches {
            decisions[branch] = registry.makeCounter(
                descriptor: .init(namespace: "anvil", subsystem: "boot", metricName: "decisions", unitName: "total",
                                  helpText: "/ipxe answers by decision branch."),
                labels: [("branch", branch)])
        }
        self.decisions = decisions
    }

    func decision(_ branch: String) {
        decisions[branch]?.increment()
    }
}
