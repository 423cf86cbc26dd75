import AnvilResources
import AnvilStore
import Foundation
import Logging

/// How a daemon opens its store. SQLite opens at once or not at all. A PostgreSQL server that
/// cannot be reached yet (hosts and database starting in any order, a failover in progress) is
/// waited for — each failure logged with its cause, retried with a growing pause up to 10 s —
/// instead of exiting into a supervisor's restart loop; a refusal that waiting cannot fix (wrong
/// key, a newer schema) ends start-up (docs/deploy.md "Several hosts").
enum DaemonStoreOpening {
    static func open(config: DaemonConfig, options: StoreOptions, logger: Logger) async throws -> Store {
        if case .sqlite(let path) = config.store {
            try? FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        var pause = Duration.milliseconds(500)
        while true {
            do {
                return try await Store.open(
                    location: config.store, secretsKey: config.secretsKey, validate: ResourceValidator.validate, options: options)
            } catch let error as StoreError {
                guard case .postgres = config.store, case .database = error else { throw error }
                logger.warning(
                    "store not reachable; retrying",
                    metadata: ["store": "\(config.store.displayName)", "error": "\(error)", "retryIn": "\(pause)"])
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(10))
            }
        }
    }
}
