import AnvilStore
import ServiceLifecycle

/// Wakes this daemon's watchers when any host sharing the store commits: the store's change
/// notifications (PostgreSQL's, one listener per process) feed the same ``StoreChangeSignal`` bus
/// hints feed, since hints reach only the daemons of one host (docs/architecture.md "Change feed
/// and hints"). Ends on graceful shutdown.
struct StoreNotificationService: Service {
    let notifications: AsyncStream<Int64>
    let storeChanges: StoreChangeSignal

    func run() async throws {
        for await revision in notifications.cancelOnGracefulShutdown() {
            storeChanges.changed(revision: revision)
        }
    }
}
