import AnvilStore
import Logging
import Prometheus

/// What a daemon's own code gets from the skeleton: settings, store, logger, metrics, the event
/// path and the store-change signal.
public struct DaemonContext: Sendable {
    public let descriptor: DaemonDescriptor
    public let config: DaemonConfig
    public let logger: Logger
    public let store: Store
    public let metrics: PrometheusCollectorRegistry
    /// The daemon's one event path: batched writes, source = the bus name unless an entry names one.
    public let events: EventBatchRecorder
    /// Wakes store watchers on every change committed by this or any other daemon.
    public let storeChanges: StoreChangeSignal

    public init(
        descriptor: DaemonDescriptor, config: DaemonConfig, logger: Logger, store: Store,
        metrics: PrometheusCollectorRegistry, events: EventBatchRecorder, storeChanges: StoreChangeSignal
    ) {
        self.descriptor = descriptor
        self.config = config
        self.logger = logger
        self.store = store
        self.metrics = metrics
        self.events = events
        self.storeChanges = storeChanges
    }
}

extension DaemonContext {
    /// The same context writing through `store` (e.g. a fenced view, ``Store/fenced(by:)``).
    public func replacingStore(with store: Store) -> DaemonContext {
        DaemonContext(
            descriptor: descriptor, config: config, logger: logger, store: store, metrics: metrics, events: events,
            storeChanges: storeChanges)
    }
}
