import AnvilPower
import Prometheus
import Synchronization

/// bmcd's Prometheus metrics: commands by method and outcome (ok or the failure reason), their
/// duration, and the back-ends (sessions, connections) held open.
final class BMCMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let counters = Mutex<[String: Counter]>([:])
    let duration: DurationHistogram
    let backends: Gauge

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        duration = registry.makeDurationHistogram(
            descriptor: .init(namespace: "anvil", subsystem: "bmc", metricName: "command_duration", unitName: "seconds",
                              helpText: "Time from a bus call to its answer, BMC round trips included."),
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500),
                      .seconds(1), .seconds(5), .seconds(10), .seconds(30)])
        backends = registry.makeGauge(
            descriptor: .init(namespace: "anvil", subsystem: "bmc", metricName: "open_backends", unitName: "",
                              helpText: "BMC back-ends (IPMI sessions, HTTP clients) kept for reuse."))
    }

    /// Counts one finished command: `outcome` is "ok" or a ``PowerError`` reason.
    func finished(method: String, outcome: String, after elapsed: Duration) {
        let key = method + "\u{0}" + outcome
        let counter = counters.withLock { counters in
            if let existing = counters[key] { return existing }
            let made = registry.makeCounter(
                descriptor: .init(namespace: "anvil", subsystem: "bmc", metricName: "commands", unitName: "total",
                                  helpText: "Power commands by bus method and outcome (ok or the failure reason)."),
                labels: [("method", method), ("outcome", outcome)])
            counters[key] = made
            return made
        }
        counter.increment()
        duration.record(elapsed)
    }
}
