import Prometheus

/// tftpd's Prometheus metrics (README "tftpd"): transfers by outcome, bytes, active, duration, retransmits, refusals.
struct TFTPMetrics: Sendable {
    let completed: Counter
    let aborted: Counter
    let failed: Counter
    let bytes: Counter
    let retransmits: Counter
    let active: Gauge
    let duration: DurationHistogram
    private let refusals: [String: Counter]

    static let refusalReasons = [
        "not_found", "access_violation", "unreadable", "write_request", "malformed", "option_negotiation",
        "server_busy", "client_busy", "rate_limited", "unknown_tid",
    ]

    init(registry: PrometheusCollectorRegistry) {
        func transfers(_ outcome: String) -> Counter {
            registry.makeCounter(
                descriptor: .init(namespace: "anvil", subsystem: "tftp", metricName: "transfers", unitName: "total",
                                  helpText: "Finished TFTP transfers by outcome (completed, aborted by the client, failed)."),
                labels: [("outcome", outcome)])
        }
        completed = transfers("completed")
        aborted = transfers("aborted")
        failed = transfers("failed")
        bytes = registry.makeCounter(
            descriptor: .init(namespace: "anvil", subsystem: "tftp", metricName: "sent", unitName: "bytes_total",
                              helpText: "Datagram payload bytes sent, retransmissions included."))
        retransmits = registry.makeCounter(
            descriptor: .init(namespace: "anvil", subsystem: "tftp", metricName: "retransmitted_packets", unitName: "total",
                              helpText: "Packets sent again after a timeout."))
        active = registry.makeGauge(
            descriptor: .init(namespace: "anvil", subsystem: "tftp", metricName: "active_transfers", unitName: "",
                              helpText: "Transfers in flight."))
        duration = registry.makeDurationHistogram(
            descriptor: .init(namespace: "anvil", subsystem: "tftp", metricName: "transfer_duration", unitName: "seconds",
                              helpText: "Time from request to the end of a transfer."),
            buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                      .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60)])
        var refusals: [String: Counter] = [:]
        for reason in Self.refusalReasons {
            refusals[reason] = registry.makeCounter(
                descriptor: .init(namespace: "anvil", subsystem: "tftp", metricName: "refused", unitName: "total",
                                  helpText: "Requests and packets refused, by reason."),
                labels: [("reason", reason)])
        }
        self.refusals = refusals
    }

    func refused(_ reason: String) {
        refusals[reason]?.increment()
    }
}
