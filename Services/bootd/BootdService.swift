import AnvilBoot
import AnvilBootFiles
import AnvilBus
import AnvilDaemon
import AnvilHTTPServer
import AnvilJSON
import AnvilStore
import ServiceLifecycle

/// Builds bootd: its HTTP listener (SO_REUSEPORT, so replicas share the port), the event
/// recorder and the `boot.status` bus method.
enum BootdService {
    static func make(context: DaemonContext, bus: inout BusRouter) throws -> [any Service] {
        let config = context.config
        let logger = context.logger
        let settings = try BootdSettings(config: config)
        let root: BootFileRoot
        do {
            // tftpd prepares the same root; doing it here too lets /tftp/ work without tftpd.
            _ = try BootFileRootPreparation.prepare(root: config.tftpRoot.path, ipxeDirectory: config.ipxeDirectory.path)
            root = try BootFileRoot(directory: config.tftpRoot.path)
        } catch {
            logger.critical("cannot prepare the boot file root", metadata: ["root": "\(config.tftpRoot.path)", "error": "\(error)"])
            throw error
        }
        let events = EventBatchRecorder(store: context.store, source: config.busName, logger: logger)
        let metrics = BootMetrics(registry: context.metrics)
        let reader = BootStateReader(store: context.store)
        let router = BootRouter(
            ipxe: IPXEHandler(
                settings: settings, reader: reader, events: events, metrics: metrics, logger: logger,
                answers: StoreReadCache(store: context.store)),
            environmentAssets: EnvironmentAssetHandler(settings: settings, reader: reader, logger: logger),
            tftpRoot: TFTPRootHandler(root: root, logger: logger),
            standard: context.standardHTTP, metrics: metrics,
            bootScript: BootResponses.script(IPXEScript.boot(endpoint: settings.endpoints.apiEndpoint, port: settings.endpoints.apiPort)))
        let server = HTTPServer(
            configuration: .init(host: config.httpAddress, port: config.httpPort, reusePort: true, serverName: "anvil-bootd"),
            logger: logger, onBound: context.standardHTTP.httpBound, responder: router.respond)
        bus.register("boot.status") { _ in
            [
                "apiEndpoint": .string(settings.endpoints.apiEndpoint), "apiPort": .int(Int64(settings.endpoints.apiPort)),
                "metadataPort": .int(Int64(settings.endpoints.metadataPort)), "machineTokens": .bool(settings.tokenKey != nil),
                "markPXEBootedOnServe": .bool(settings.markPXEBootedOnServe),
                "agentDirectory": .string(settings.agentDirectory.path), "environmentDirectory": .string(settings.environmentDirectory.path),
            ]
        }
        return [events, server]
    }
}
