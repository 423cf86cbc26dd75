import AnvilBus
import AnvilJSON
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// What a daemon's own code gets from the skeleton: settings, store, logger, metrics, bus and HTTP routes.
public struct DaemonContext {
    public let descriptor: DaemonDescriptor
    public let config: DaemonConfig
    public let logger: Logger
    public let store: Store
    public let metrics: PrometheusCollectorRegistry
    public let http: Router<BasicRequestContext>
    /// `/healthz` and `/metrics` for a daemon that runs its own HTTP listener.
    public let standardHTTP: DaemonStandardHTTP
}

/// The answers behind `/healthz` and `/metrics`, for daemons that serve HTTP themselves.
public struct DaemonStandardHTTP: Sendable {
    /// Whether the daemon can do its work (the store answers).
    public let health: @Sendable () async -> Bool
    /// The Prometheus exposition text, refreshed first.
    public let metricsText: @Sendable () async -> [UInt8]
    /// Tell the skeleton the port actually bound (shown by `service.info`).
    public let httpBound: @Sendable (Int) -> Void
    public let service: String
}

/// Who listens on the daemon's HTTP port.
public enum DaemonHTTPListener: Sendable {
    /// The skeleton's hummingbird application (/healthz, /metrics and routes added to `http`).
    case skeleton
    /// The daemon's own services; the skeleton starts none.
    case daemon
}

/// The skeleton every Anvil daemon runs in: one ServiceGroup of the bus server, the HTTP listener and
/// the daemon's own services, stopped gracefully by SIGTERM or SIGINT.
public enum Daemon {
    public static func run(
        _ descriptor: DaemonDescriptor, options: DaemonOptions, httpListener: DaemonHTTPListener = .skeleton,
        services makeServices: (DaemonContext, inout BusRouter) async throws -> [any Service] = { _, _ in [] }
    ) async throws {
        let config: DaemonConfig
        do {
            config = try DaemonConfig(descriptor: descriptor, options: options)
        } catch {
            FileHandle.standardError.write(Data("\(descriptor.name): \(error)\n".utf8))
            throw ExitCode(2)
        }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, service: config.busName, format: config.logFormat, level: level)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "anvil.\(descriptor.name)")

        let store: Store
        do {
            try FileManager.default.createDirectory(at: config.stateDirectory, withIntermediateDirectories: true)
            store = try await Store.open(stateDirectory: config.stateDirectory, validate: ResourceValidator.validate)
        } catch {
            logger.critical("cannot open the store", metadata: ["state": "\(config.stateDirectory.path)", "error": "\(error)"])
            throw ExitCode(1)
        }

        let directory = ServiceDirectory(runDirectory: config.runDirectory.path)
        let socketPath = directory.socketPath(service: descriptor.name, instance: config.instance)
        let info = DaemonInfo(descriptor: descriptor, config: config)
        let boundHTTPPort = Mutex<Int?>(nil)
        let health: @Sendable () async -> Bool = {
            (try? await store.currentRevision()) != nil
        }

        var bus = BusRouter()
        bus.register("health.check") { _ in
            let healthy = await health()
            return ["status": .string(healthy ? "ok" : "unhealthy"), "service": .string(config.busName)]
        }
        if ProcessInfo.processInfo.environment["ANVIL_DEBUG_METHODS"] == "1" {
            // For fault tests only: a call that takes as long as asked, so a test can kill the daemon mid-call.
            bus.register("debug.delay") { params in
                let milliseconds = params?["ms"]?.intValue ?? 1000
                try await Task.sleep(for: .milliseconds(milliseconds))
                return ["slept": .int(milliseconds)]
            }
        }
        let runningServer = Mutex<BusServer?>(nil)
        bus.register("service.info") { _ in
            let counters = runningServer.withLock { $0?.statistics.json } ?? [:]
            return info.json(httpPort: boundHTTPPort.withLock { $0 }, counters: counters)
        }
        let metrics = DaemonMetrics(registry: registry, service: config.busName, startedAt: info.startedAt)
        let beforeScrape: @Sendable () async -> Void = {
            metrics.refresh(bus: runningServer.withLock { $0?.statistics }, revision: try? await store.currentRevision())
        }
        let router = Router()
        DaemonHTTP.addStandardRoutes(
            to: router, service: config.busName, registry: registry, health: health, beforeScrape: beforeScrape)
        let standardHTTP = DaemonStandardHTTP(
            health: health,
            metricsText: {
                await beforeScrape()
                return registry.emitToBuffer()
            },
            httpBound: { port in boundHTTPPort.withLock { $0 = port } },
            service: config.busName)

        let context = DaemonContext(
            descriptor: descriptor, config: config, logger: logger, store: store, metrics: registry, http: router,
            standardHTTP: standardHTTP)
        let own = try await makeServices(context, &bus)
        let busServer = BusServer(socketPath: socketPath, router: bus, logger: logger)
        runningServer.withLock { $0 = busServer }
        logger.info(
            "starting", metadata: ["version": "\(AnvilVersion.current)", "pid": "\(info.pid)", "bus": "\(socketPath)",
                                   "status": "\(descriptor.workStatus)"])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: BusService(server: busServer))]
        if httpListener == .skeleton {
            let app = Application(
                router: router,
                configuration: .init(address: .hostname(config.httpAddress, port: config.httpPort), serverName: config.busName),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port
                    boundHTTPPort.withLock { $0 = port }
                    logger.info("http listening", metadata: ["address": "\(config.httpAddress)", "port": "\(port ?? -1)"])
                },
                logger: logger)
            services.append(.init(service: app))
        }
        services += own.map { .init(service: $0) }
        if let supervisor = ProcessInfo.processInfo.environment["ANVIL_SUPERVISED_BY"].flatMap(Int32.init) {
            services.append(
                .init(service: ParentWatchService(supervisorPID: supervisor, logger: logger),
                      successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        logger.info("stopped")
    }
}
