import AnvilBus
import ServiceLifecycle

/// Runs the daemon's bus server inside the ServiceGroup; graceful shutdown closes and unlinks the socket.
struct BusService: Service {
    let server: BusServer

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await server.run()
        }
    }
}
