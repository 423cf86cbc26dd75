import AnvilBus
import AnvilDaemon
import AnvilStore

/// metadatad as the skeleton runs it: `/configdata` and the agent API on its HTTP port
/// (SO_REUSEPORT, like bootd); no bus methods of its own.
public enum MetadataDaemon: DaemonDefinition {
    public static let descriptor = DaemonDescriptor.metadatad

    public static func settings(from options: MetadataOptions, config: DaemonConfig, source: SettingSource) throws -> MetadataSettings {
        try MetadataSettings(options: options, config: config, source: source)
    }

    public static func make(settings: MetadataSettings, context: DaemonContext, bus: inout BusRouter) async throws -> DaemonParts {
        let authentication = MachineAuthentication(key: settings.tokenKey, policy: settings.tokens)
        let configData = ConfigDataHandler(
            source: ConfigDataSource(store: context.store), authentication: authentication, store: context.store,
            events: context.events, logger: context.logger,
            answers: StoreReadCache(store: context.store))
        let agent = AgentAPI(
            settings: settings, store: context.store, authentication: authentication, events: context.events, logger: context.logger)
        return DaemonParts(routes: [
            DaemonHTTPRoute("configdata", .exact("/configdata")) { request, _ in await configData.respond(request) },
            DaemonHTTPRoute("agent", .prefix(AgentAPI.prefix), methods: [.POST]) { request, rest in await agent.respond(request, rest: rest) },
        ])
    }
}
