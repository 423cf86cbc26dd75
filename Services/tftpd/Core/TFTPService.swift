import AnvilBootFiles
import AnvilBus
import AnvilDaemon
import AnvilJSON
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The TFTP server as a lifecycle service: prepares the boot file root, binds the listening socket,
/// serves until shutdown.
struct TFTPService: Service {
    let server: TFTPServerContext

    /// Builds tftpd's services and registers its bus methods.
    static func make(settings: TFTPDSettings, context: DaemonContext, bus: inout BusRouter) throws -> DaemonParts {
        let logger = context.logger
        let report: BootFileRootPreparation.Report
        let root: BootFileRoot
        do {
            report = try BootFileRootPreparation.prepare(root: settings.root.path, ipxeDirectory: settings.ipxeDirectory.path)
            root = try BootFileRoot(directory: settings.root.path, memoryFileLimit: settings.memoryFileLimit)
        } catch {
            logger.critical("cannot prepare the boot file root", metadata: ["error": "\(error)"])
            throw error
        }
        logger.info("boot file root ready", metadata: [
            "root": "\(root.directory)", "installed": "\(report.installed.joined(separator: ","))",
            "kept": "\(report.kept.joined(separator: ","))", "unavailable": "\(report.unavailable.joined(separator: ","))",
            "files": "\(root.list().count)",
        ])
        if report.installed.isEmpty && report.kept.isEmpty {
            logger.warning("no iPXE binaries to serve: install Debian's ipxe package or set --ipxe-dir", metadata: ["ipxe_dir": "\(settings.ipxeDirectory.path)"])
        }
        let server = TFTPServerContext(
            settings: settings, root: root, metrics: TFTPMetrics(registry: context.metrics), logger: logger, events: context.events)
        let service = TFTPService(server: server)
        bus.register("tftp.status") { _ in
            [
                "address": .string(settings.address), "port": server.boundPort.withLock { $0 }.map { .int(Int64($0)) } ?? .null,
                "singlePort": .bool(settings.singlePort), "root": .string(root.directory),
                "activeTransfers": .int(Int64(server.activeTransfers)),
                "files": .array(root.list().map { .object(["path": .string($0.path), "size": .int(Int64($0.size))]) }),
            ]
        }
        return DaemonParts(services: [service])
    }

    func run() async throws {
        let settings = server.settings
        let group = MultiThreadedEventLoopGroup.singleton
        let listener: any Channel
        do {
            listener = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
                .channelOption(.receivePacketInfo, value: true)
                .channelOption(.datagramVectorReadMessageCount, value: 32)
                // The receive buffer is split evenly between the 32 vector slots: 4 KiB each holds
                // any sane request (255-byte name, 16 options); a larger datagram is cut short and
                // refused as malformed.
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 4096))
                .channelOption(.maxMessagesPerRead, value: 64)
                .channelInitializer { [server] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(TFTPListenerHandler(server: server, group: group))
                    }
                }
                .bind(host: settings.address, port: settings.port)
                .get()
        } catch {
            let hint = settings.port < 1024 ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE; --tftp-port changes it)" : ""
            server.logger.critical("cannot bind the TFTP socket", metadata: [
                "address": "\(settings.address)", "port": "\(settings.port)", "error": "\(error)\(hint)"])
            throw error
        }
        let port = listener.localAddress?.port
        server.boundPort.withLock { $0 = port }
        server.logger.info("tftp listening", metadata: [
            "address": "\(settings.address)", "port": "\(port ?? -1)",
            "mode": "\(settings.singlePort ? "single-port" : "port per transfer")",
            "max_transfers": "\(settings.admission.maximumTransfers)",
            "max_transfers_per_client": "\(settings.admission.maximumTransfersPerClient)",
            "rrq_rate_per_client": "\(settings.admission.requestsPerSecondPerClient)",
            "gso": "\(server.segmentationOffload.isEnabled)",
        ])
        try? await gracefulShutdown()
        // Transfers in flight are finished (bounded), so a rolling restart cuts no download short.
        // With a port per transfer the listener closes first and takes no new request; in
        // single-port mode it carries the transfers, so it closes after them.
        if !settings.singlePort { try? await listener.close() }
        await waitForTransfers(limit: Self.drainLimit)
        if settings.singlePort { try? await listener.close() }
    }

    /// How long a graceful stop waits for transfers in flight (a client that vanished holds its
    /// transfer only until the retransmission timeout).
    static let drainLimit: Duration = .seconds(10)

    private func waitForTransfers(limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        let pending = server.activeTransfers
        guard pending > 0 else { return }
        server.logger.info("finishing transfers in flight", metadata: ["transfers": "\(pending)"])
        while server.activeTransfers > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if server.activeTransfers > 0 {
            server.logger.warning("stopping with transfers unfinished", metadata: ["transfers": "\(server.activeTransfers)"])
        }
    }
}
