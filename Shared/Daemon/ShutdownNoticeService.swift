import Logging
import ServiceLifecycle

/// Logs `stopping` the moment a graceful shutdown begins. It is the group's last service, so the
/// first one told (the group stops in reverse order): with the final `stopped` line, the log shows
/// how long the daemon took to stop.
struct ShutdownNoticeService: Service {
    let logger: Logger

    func run() async throws {
        // Cancellation (not a graceful stop) throws here: nothing to announce then.
        guard (try? await gracefulShutdown()) != nil else { return }
        logger.info("stopping")
    }
}
