import AnvilBus
import ServiceLifecycle

/// Runs the daemon's bus server inside the ServiceGroup; graceful shutdown closes and unlinks the socket.
struct BusService: Service {
    let server: BusServer

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await server.run()
            }
        } catch is CancellationError {
            // Cancellation is how graceful shutdown reaches the server: a clean stop, not a failure.
        }
    }
}
