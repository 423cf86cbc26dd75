import AnvilStore
import Logging
import ServiceLifecycle

/// Keeps the store's change feed bounded: at start and then every `interval`, drops all but the
/// newest `retention` entries (watchers further behind re-list). Idempotent, so two reconcilers
/// doing it at once is harmless.
struct ChangeFeedCompaction: Service {
    let store: Store
    let retention: Int
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await store.compactChanges(keepingLast: retention)
                    if removed > 0 {
                        logger.info("change feed compacted", metadata: ["removed": "\(removed)", "kept": "\(retention)"])
                    }
                } catch {
                    logger.warning("change feed compaction failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
