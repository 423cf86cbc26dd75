import AnvilBus
import Foundation
import Prometheus

/// The metrics every daemon exports, refreshed at scrape time from the bus server's counters.
struct DaemonMetrics: Sendable {
    private let startTime: Gauge
    private let busRequests: Gauge
    private let busErrors: Gauge
    private let busConnections: Gauge
    private let storeRevision: Gauge

    init(registry: PrometheusCollectorRegistry, service: String, startedAt: Date) {
        let labels = [("service", service)]
        startTime = registry.makeGauge(
            descriptor: .init(namespace: "anvil", subsystem: "daemon", metricName: "start_time", unitName: "seconds", helpText: "Unix time the daemon started."),
            labels: labels)
        busRequests = registry.makeGauge(
            descriptor: .init(namespace: "anvil", subsystem: "bus", metricName: "requests", unitName: "total", helpText: "JSON-RPC requests and notifications served."),
            labels: labels)
        busErrors = registry.makeGauge(
            descriptor: .init(namespace: "anvil", subsystem: "bus", metricName: "errors", unitName: "total", helpText: "JSON-RPC error responses sent."),
            labels: labels)
        busConnections = registry.makeGauge(
            descriptor: .init(namespace: "anvil", subsystem: "bus", metricName: "connections", unitName: "", helpText: "Open bus connections."),
            labels: labels)
        storeRevision = registry.makeGauge(
            descriptor: .init(namespace: "anvil", subsystem: "store", metricName: "revision", unitName: "", helpText: "The store's global revision as last seen."),
            labels: labels)
        startTime.set(startedAt.timeIntervalSince1970)
    }

    func refresh(bus: BusServerStatistics?, revision: Int64?) {
        if let bus {
            busRequests.set(Double(bus.requestsServed))
            busErrors.set(Double(bus.errors))
            busConnections.set(Double(bus.activeConnections))
        }
        if let revision { storeRevision.set(Double(revision)) }
    }
}
