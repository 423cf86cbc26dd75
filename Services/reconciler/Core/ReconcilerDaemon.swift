import AnvilBus
import AnvilDaemon

/// The reconciler as the skeleton runs it: change-feed compaction, and the controllers while
/// this process holds the reconciler lease.
public enum ReconcilerDaemon: DaemonDefinition {
    public static let descriptor = DaemonDescriptor.reconciler

    public static func settings(from options: ReconcilerOptions, config: DaemonConfig, source: SettingSource) throws -> ReconcilerSettings {
        try ReconcilerSettings(options: options, source: source)
    }

    public static func make(settings: ReconcilerSettings, context: DaemonContext, bus: inout BusRouter) async throws -> DaemonParts {
        DaemonParts(services: [
            ChangeFeedCompaction(store: context.store, retention: settings.changeFeedRetention, interval: .seconds(3600), logger: context.logger),
            ControllersService(context: context, settings: settings),
        ])
    }
}
