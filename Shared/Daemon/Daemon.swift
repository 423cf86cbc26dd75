import AnvilBus
import AnvilHTTPServer
import AnvilJSON
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// The skeleton every Anvil daemon runs in (docs/architecture.md "The daemon shape"): settings
/// resolved once (a bad one exits 2 naming it), then one ServiceGroup of the bus server, the
/// store-change hints (and a shared store's change notifications), the event recorder, the HTTP
/// listener and the daemon's own services, stopped gracefully by SIGTERM or SIGINT.
public enum Daemon {
    public static func run<D: DaemonDefinition>(_ definition: D.Type, common: DaemonOptions, options: D.Options) async throws {
        // A server ignores SIGPIPE: a log reader that went away (a killed supervisor, a closed
        // `| head`) must cost a daemon its log lines (StandardStream drops them), not its life.
        signal(SIGPIPE, SIG_IGN)
        let descriptor = D.descriptor
        let source = SettingSource()
        let config: DaemonConfig
        let settings: D.Settings
        do {
            config = try DaemonConfig(descriptor: descriptor, options: common, source: source)
            settings = try D.settings(from: options, config: config, source: source)
        } catch {
            StandardStream.error.write("\(descriptor.name): \(error)\n")
            throw ExitCode(2)
        }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, service: config.busName, format: config.logFormat, level: level)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "anvil.\(descriptor.name)")

        let directory = ServiceDirectory(runDirectory: config.runDirectory.path)
        let socketPath = directory.socketPath(service: descriptor.name, instance: config.instance)
        let storeChanges = StoreChangeSignal()
        let hints = StoreChangeHints(directory: directory, ownSocket: socketPath, from: config.busName, local: storeChanges)
        let store: Store
        do {
            store = try await DaemonStoreOpening.open(
                config: config, options: StoreOptions(changeObserver: { hints.committed($0) }), logger: logger)
        } catch {
            logger.critical("cannot open the store", metadata: ["store": "\(config.store.displayName)", "error": "\(error)"])
            startupFailed(descriptor, "cannot open the store \(config.store.displayName): \(error)")
            throw ExitCode(1)
        }
        let events = EventBatchRecorder(store: store, source: config.busName, logger: logger)
        let context = DaemonContext(
            descriptor: descriptor, config: config, logger: logger, store: store, metrics: registry, events: events,
            storeChanges: storeChanges)

        let info = DaemonInfo(descriptor: descriptor, config: config, settings: settings.summary)
        let boundHTTPPort = Mutex<Int?>(nil)
        let runningServer = Mutex<BusServer?>(nil)
        let health: @Sendable () async -> Bool = { (try? await store.currentRevision()) != nil }
        var bus = BusRouter()
        registerStandardMethods(
            into: &bus, service: config.busName, health: health, storeChanges: storeChanges,
            currentRevision: { try await store.currentRevision() },
            info: { info.json(httpPort: boundHTTPPort.withLock { $0 }, counters: runningServer.withLock { $0?.statistics.json } ?? [:]) })

        let parts = try await D.make(settings: settings, context: context, bus: &bus)

        let daemonMetrics = DaemonMetrics(registry: registry, service: config.busName, startedAt: info.startedAt)
        let router = DaemonHTTPRouter(
            service: config.busName, routes: parts.routes,
            metrics: HTTPRouteMetrics(registry: registry, service: config.busName, routes: DaemonHTTPRouter.routeNames(parts.routes)),
            health: health,
            metricsText: {
                daemonMetrics.refresh(bus: runningServer.withLock { $0?.statistics }, revision: try? await store.currentRevision())
                return registry.emitToBuffer()
            })
        let http = HTTPServer(
            configuration: .init(
                host: config.httpAddress, port: config.httpPort, reusePort: descriptor.httpReusePort, serverName: "anvil-\(descriptor.name)"),
            logger: logger, onBound: { port in boundHTTPPort.withLock { $0 = port } }, responder: router.respond)
        let busServer = BusServer(socketPath: socketPath, router: bus, logger: logger)
        runningServer.withLock { $0 = busServer }
        logger.info(
            "starting", metadata: ["version": "\(AnvilVersion.current)", "pid": "\(info.pid)", "bus": "\(socketPath)",
                                   "status": "\(descriptor.workStatus)"])
        // Graceful shutdown runs in reverse order: the daemon's own services stop first, while
        // the event recorder, the hints and the bus still take what they report on the way out.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: BusService(server: busServer)), .init(service: hints),
        ]
        // Other hosts' commits (a PostgreSQL store); on SQLite every writer is on this host and the hints carry them.
        if let notifications = store.changeNotifications() {
            services.append(.init(service: StoreNotificationService(notifications: notifications, storeChanges: storeChanges)))
        }
        services += [.init(service: events), .init(service: http)]
        services += parts.services.map { .init(service: $0) }
        if let supervisor = ProcessInfo.processInfo.environment["ANVIL_SUPERVISED_BY"].flatMap(Int32.init) {
            services.append(
                .init(service: ParentWatchService(supervisorPID: supervisor, logger: logger),
                      successTerminationBehavior: .gracefullyShutdownGroup))
        }
        services.append(.init(service: ShutdownNoticeService(logger: logger), successTerminationBehavior: .ignore))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            // A service that cannot start (the bus socket path taken by a file, the HTTP port in
            // use) ends the group: one line on stderr naming it, and a failure status.
            logger.critical("stopped on error", metadata: ["error": "\(error)"])
            startupFailed(descriptor, "\(error)")
            throw ExitCode(1)
        }
        logger.info("stopped")
    }

    /// The one line a supervisor or operator reads when the daemon cannot run.
    private static func startupFailed(_ descriptor: DaemonDescriptor, _ message: String) {
        StandardStream.error.write("\(descriptor.name): \(message)\n")
    }

    /// `health.check`, `service.info`, the `store.changed` hint, and `debug.delay` for fault tests.
    /// A hint ahead of the store is refused: it would make watchers wait for a revision that does
    /// not exist (or spin on one), so only true hints are taken.
    public static func registerStandardMethods(
        into bus: inout BusRouter, service: String, health: @escaping @Sendable () async -> Bool,
        storeChanges: StoreChangeSignal, currentRevision: @escaping @Sendable () async throws -> Int64,
        info: @escaping @Sendable () -> JSONValue
    ) {
        bus.register("health.check") { _ in
            let healthy = await health()
            return ["status": .string(healthy ? "ok" : "unhealthy"), "service": .string(service)]
        }
        bus.register("service.info") { _ in info() }
        bus.register(StoreChangeHints.method) { params in
            guard let revision = params?["revision"]?.intValue else {
                throw BusError.invalidParams("store.changed needs {\"revision\": <integer>}")
            }
            if revision > storeChanges.latest {
                // Its own task: a notification's sender may hang up at once, which cancels the handler.
                let current = try await Task { try await currentRevision() }.value
                guard revision <= current else {
                    throw BusError.invalidParams("store.changed: revision \(revision) is ahead of the store (at \(current))")
                }
                storeChanges.changed(revision: revision)
            }
            return .null
        }
        if ProcessInfo.processInfo.environment["ANVIL_DEBUG_METHODS"] == "1" {
            // For fault tests only: a call that takes as long as asked, so a test can kill the daemon mid-call.
            bus.register("debug.delay") { params in
                let milliseconds = params?["ms"]?.intValue ?? 1000
                try await Task.sleep(for: .milliseconds(milliseconds))
                return ["slept": .int(milliseconds)]
            }
        }
    }
}
