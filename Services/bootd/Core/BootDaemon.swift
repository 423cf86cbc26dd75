import AnvilBoot
import AnvilBootFiles
import AnvilBus
import AnvilDaemon
import AnvilStore

/// bootd as the skeleton runs it: `/boot.ipxe`, `/ipxe`, `/env/` and `/tftp/` on its HTTP port
/// (SO_REUSEPORT, so replicas share it) and `boot.status` on the bus.
public enum BootDaemon: DaemonDefinition {
    public static let descriptor = DaemonDescriptor.bootd

    public static func settings(from options: BootdOptions, config: DaemonConfig, source: SettingSource) throws -> BootdSettings {
        try BootdSettings(options: options, config: config, source: source)
    }

    public static func make(settings: BootdSettings, context: DaemonContext, bus: inout BusRouter) async throws -> DaemonParts {
        let logger = context.logger
        let root: BootFileRoot
        do {
            // tftpd prepares the same root; doing it here too lets /tftp/ work without tftpd.
            _ = try BootFileRootPreparation.prepare(root: settings.bootFiles.root.path, ipxeDirectory: settings.bootFiles.ipxeDirectory.path)
            root = try BootFileRoot(directory: settings.bootFiles.root.path)
        } catch {
            logger.critical("cannot prepare the boot file root", metadata: ["root": "\(settings.bootFiles.root.path)", "error": "\(error)"])
            throw error
        }
        let reader = BootStateReader(store: context.store)
        let issuer = settings.tokenKey.map { BootTokenIssuer(key: $0, policy: settings.tokens, store: context.store) }
        let ipxe = IPXEHandler(
            settings: settings, reader: reader, issuer: issuer, marker: PXEBootedMarker(store: context.store, logger: logger),
            events: context.events, metrics: BootMetrics(registry: context.metrics), logger: logger,
            answers: StoreReadCache(store: context.store))
        let assets = EnvironmentAssetHandler(settings: settings, reader: reader, logger: logger)
        let files = TFTPRootHandler(root: root, logger: logger)
        // `/boot.ipxe` depends only on the settings: rendered once.
        let bootScript = BootResponses.script(IPXEScript.boot(endpoint: settings.endpoints.apiEndpoint, port: settings.endpoints.apiPort))
        bus.register("boot.status") { _ in
            [
                "apiEndpoint": .string(settings.endpoints.apiEndpoint), "apiPort": .int(Int64(settings.endpoints.apiPort)),
                "metadataPort": .int(Int64(settings.endpoints.metadataPort)), "machineTokens": .bool(settings.tokenKey != nil),
                "markPXEBootedOnServe": .bool(settings.markPXEBootedOnServe),
                "agentDirectory": .string(settings.agentDirectory.path), "environmentDirectory": .string(settings.environmentDirectory.path),
            ]
        }
        return DaemonParts(routes: [
            DaemonHTTPRoute("boot.ipxe", .exact("/boot.ipxe")) { _, _ in bootScript },
            DaemonHTTPRoute("ipxe", .exact("/ipxe")) { request, _ in await ipxe.respond(request) },
            DaemonHTTPRoute("env", .prefix("/env/")) { request, rest in await assets.respond(request, rest: rest) },
            DaemonHTTPRoute("tftp", .prefix("/tftp/")) { request, rest in files.respond(request, rest: rest) },
        ])
    }
}
