import Foundation
import Logging
import ServiceLifecycle

/// Under `anvil up`, ends the daemon gracefully when its supervisor is gone (even if it was SIGKILLed),
/// so no orphan keeps ports and sockets.
struct ParentWatchService: Service {
    let supervisorPID: Int32
    let logger: Logger

    func run() async throws {
        // Polls without throwing: cancellation (graceful shutdown) ends the loop as a clean stop.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if getppid() != supervisorPID {
                    logger.warning("supervisor is gone; shutting down", metadata: ["supervisor": "\(supervisorPID)"])
                    return
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
