import AnvilDaemon
import AnvilStore
import AsyncHTTPClient
import Foundation
import Logging
import ServiceLifecycle

/// The Environment asset controller as a service: it runs while this reconciler holds the lease,
/// stops promptly on graceful shutdown (downloads are cancelled and their temporary files
/// removed), then shuts its HTTP client down.
struct EnvironmentAssetsService: Service {
    struct Settings: Sendable {
        var defaultEnvironmentURL = DefaultEnvironment.releaseURL
        /// How often the change feed is read when no bus hint arrives.
        var pollInterval: Duration = .seconds(10)
        var resyncInterval: Duration = .seconds(60)
        var parallelEnvironments = 4
        var downloadTimeout: Duration = .seconds(600)
        var sizeLimit: Int64 = 4 << 30
    }

    let context: DaemonContext
    let settings: Settings
    var store: Store { context.store }
    var logger: Logger { context.logger }

    func run() async throws {
        let client = HTTPAssetSource.makeClient()
        let lease = LeaderLease(store: store, busName: context.config.busName, logger: logger)
        logger.info(
            "environment asset controller starting",
            metadata: ["directory": "\(context.config.environmentDirectory.path)", "defaultEnvironmentURL": "\(settings.defaultEnvironmentURL)"])
        await cancelWhenGracefulShutdown {
            // A fresh controller per term: its queue's wake-up stream ends with the term it served.
            await lease.whileLeading { await makeController(client: client).run() }
        }
        // A fresh task: this one may be cancelled, and shutdown must still happen.
        let logger = self.logger
        await Task {
            do { try await client.shutdown() } catch { logger.warning("http client shutdown failed", metadata: ["error": "\(error)"]) }
        }.value
    }

    private func makeController(client: HTTPClient) -> EnvironmentAssetsController {
        let backoff = RetryBackoff()
        let fetcher = AssetFetcher(
            http: HTTPAssetSource(client: client, totalTimeout: settings.downloadTimeout, logger: logger),
            sizeLimit: settings.sizeLimit)
        let reconciler = EnvironmentReconciler(
            store: store, directory: context.config.environmentDirectory, fetcher: fetcher,
            defaults: DefaultEnvironment(baseURL: settings.defaultEnvironmentURL), verification: AssetVerificationCache(),
            backoff: backoff, events: EnvironmentAssetEvents(events: context.events, logger: logger), logger: logger)
        return EnvironmentAssetsController(
            store: store, reconciler: reconciler, queue: ReconcileQueue(limit: settings.parallelEnvironments),
            backoff: backoff, changes: context.storeChanges, pollInterval: settings.pollInterval, resyncInterval: settings.resyncInterval, logger: logger)
    }
}
