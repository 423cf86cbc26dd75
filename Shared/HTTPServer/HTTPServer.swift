#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// An HTTP/1.1 listener on SwiftNIO. Unlike hummingbird's it can set SO_REUSEPORT, so several
/// processes (bootd replicas) share one port and the kernel spreads connections across them.
public struct HTTPServer: Service {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var reusePort: Bool
        public var maxBodySize: Int
        public var serverName: String
        /// The longest a client may take to send one complete request once the server is ready
        /// for it (connection opened, previous response sent); then the connection is closed.
        public var requestTimeout: Duration
        /// How long a graceful stop waits for responses in flight (a large download) to finish.
        public var drainTimeout: Duration

        public init(
            host: String, port: Int, reusePort: Bool = false, maxBodySize: Int = 1 << 20, serverName: String = "anvil",
            requestTimeout: Duration = .seconds(10), drainTimeout: Duration = .seconds(30)
        ) {
            self.host = host
            self.port = port
            self.reusePort = reusePort
            self.maxBodySize = maxBodySize
            self.serverName = serverName
            self.requestTimeout = requestTimeout
            self.drainTimeout = drainTimeout
        }
    }

    public let configuration: Configuration
    private let responder: HTTPResponder
    private let logger: Logger
    private let onBound: @Sendable (Int) -> Void
    private let connections = HTTPConnectionRegistry()

    public init(
        configuration: Configuration, logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in },
        responder: @escaping HTTPResponder
    ) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.onBound = onBound
    }

    /// Binds, serves until cancelled or shut down gracefully, then closes the listener and waits
    /// (at most `drainTimeout`) for open connections to finish the response they are serving.
    public func run() async throws {
        let channel = try await bind()
        let port = channel.localAddress?.port ?? configuration.port
        onBound(port)
        logger.info("http listening", metadata: [
            "address": "\(configuration.host)", "port": "\(port)", "reusePort": "\(configuration.reusePort)",
        ])
        await withTaskCancellationOrGracefulShutdownHandler {
            try? await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
        await connections.quiesce(timeout: configuration.drainTimeout)
    }

    func bind() async throws -> any Channel {
        let configuration = self.configuration
        let responder = self.responder
        let connections = self.connections
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        if configuration.reusePort {
            // NIO names no SO_REUSEPORT constant; the raw option works on Linux and the BSDs.
            bootstrap = bootstrap.serverChannelOption(
                ChannelOptions.Types.SocketOption(level: .socket, name: NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
        }
        return try await bootstrap
            // TCP_NODELAY is an IPPROTO_TCP option: `.socketOption(.tcp_nodelay)` meant SOL_SOCKET
            // option 1, SO_DEBUG, which needs CAP_NET_ADMIN (connections reset in containers).
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    // Our handlers build every header themselves; NIO's per-response validation
                    // of them cost about a tenth of a small request.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withErrorHandling: false, withOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandlers(
                        HTTPProtocolErrorResponder(),
                        HTTPRequestTimeoutHandler(timeout: TimeAmount(configuration.requestTimeout)),
                        HTTPServerHandler(responder: responder, maxBodySize: configuration.maxBodySize, serverName: configuration.serverName))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
    }
}
