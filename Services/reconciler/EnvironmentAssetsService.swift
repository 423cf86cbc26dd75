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
        var pollInterval: Duration = .milliseconds(500)
        var resyncInterval: Duration = .seconds(60)
        var parallelEnvironments = 4
        var downloadTimeout: Duration = .seconds(600)
        var sizeLimit: Int64 = 4 << 30
    }

    let store: Store
    let config: DaemonConfig
    let settings: Settings
    let logger: Logger

    func run() async throws {
        let client = HTTPAssetSource.makeClient()
        let lease = LeaderLease(store: store, busName: config.busName, logger: logger)
        logger.info(
            "environment asset controller starting",
            metadata: ["directory": "\(config.environmentDirectory.path)", "defaultEnvironmentURL": "\(settings.defaultEnvironmentURL)"])
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
            store: store, directory: config.environmentDirectory, fetcher: fetcher,
            defaults: DefaultEnvironment(baseURL: settings.defaultEnvironmentURL), verification: AssetVerificationCache(),
            backoff: backoff, events: EnvironmentAssetEvents(store: store, logger: logger), logger: logger)
        return EnvironmentAssetsController(
            store: store, reconciler: reconciler, queue: ReconcileQueue(limit: settings.parallelEnvironments),
            backoff: backoff, pollInterval: settings.pollInterval, resyncInterval: settings.resyncInterval, logger: logger)
    }
}
