import AnvilBus
import AnvilDaemon

/// tftpd as the skeleton runs it: TFTP on UDP, `tftp.status` on the bus, no HTTP routes of its own.
public enum TFTPDaemon: DaemonDefinition {
    public static let descriptor = DaemonDescriptor.tftpd

    public static func settings(from options: TFTPDOptions, config: DaemonConfig, source: SettingSource) throws -> TFTPDSettings {
        try TFTPDSettings(options: options, config: config, source: source)
    }

    public static func make(settings: TFTPDSettings, context: DaemonContext, bus: inout BusRouter) async throws -> DaemonParts {
        try TFTPService.make(settings: settings, context: context, bus: &bus)
    }
}
