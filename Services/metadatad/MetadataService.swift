import AnvilBus
import AnvilDaemon
import AnvilHTTPServer
import AnvilStore
import ServiceLifecycle

/// Builds metadatad: its HTTP listener (SO_REUSEPORT, like bootd) and the event recorder.
enum MetadataService {
    static func make(context: DaemonContext, bus: inout BusRouter) throws -> [any Service] {
        let config = context.config
        let settings = try MetadataSettings(config: config)
        let authentication = MachineAuthentication(key: settings.tokenKey)
        let events = EventBatchRecorder(store: context.store, source: config.busName, logger: context.logger)
        let router = MetadataRouter(
            configData: ConfigDataHandler(
                source: ConfigDataSource(store: context.store), authentication: authentication, logger: context.logger,
                answers: StoreReadCache(store: context.store)),
            agent: AgentAPI(settings: settings, store: context.store, authentication: authentication, events: events, logger: context.logger),
            standard: context.standardHTTP,
            metrics: HTTPRouteMetrics(
                registry: context.metrics, subsystem: "metadata", routes: MetadataRouter.routes,
                latencyHelp: "Time to produce a response."))
        let server = HTTPServer(
            configuration: .init(host: config.httpAddress, port: config.httpPort, reusePort: true, serverName: "anvil-metadatad"),
            logger: context.logger, onBound: context.standardHTTP.httpBound, responder: router.respond)
        return [events, server]
    }
}
