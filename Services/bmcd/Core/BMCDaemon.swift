import AnvilBus
import AnvilDaemon

/// bmcd as the skeleton runs it: power and boot-device methods on the bus, no HTTP routes of its own.
public enum BMCDaemon: DaemonDefinition {
    public static let descriptor = DaemonDescriptor.bmcd

    public static func settings(from options: BMCDOptions, config: DaemonConfig, source: SettingSource) throws -> BMCDSettings {
        try BMCDSettings(options: options, source: source)
    }

    public static func make(settings: BMCDSettings, context: DaemonContext, bus: inout BusRouter) async throws -> DaemonParts {
        BMCService.make(settings: settings, context: context, bus: &bus)
    }
}
