import AnvilDaemon
import AnvilStore
import AsyncHTTPClient
import Foundation

/// Builds the Environment asset controller for one term of leadership (its queue's wake-up
/// stream ends with the term it served).
enum EnvironmentAssets {
    struct Settings: Sendable {
        var defaultEnvironmentURL = DefaultEnvironment.releaseURL
        /// How often the change feed is read when no bus hint arrives.
        var pollInterval: Duration = .seconds(10)
        var resyncInterval: Duration = .seconds(60)
        var parallelEnvironments = 4
        var downloadTimeout: Duration = .seconds(600)
        var sizeLimit: Int64 = 4 << 30
    }

    static func controller(context: DaemonContext, settings: Settings, client: HTTPClient) -> EnvironmentAssetsController {
        let backoff = RetryBackoff()
        let fetcher = AssetFetcher(
            http: HTTPAssetSource(client: client, totalTimeout: settings.downloadTimeout, logger: context.logger),
            sizeLimit: settings.sizeLimit)
        let reconciler = EnvironmentReconciler(
            store: context.store, directory: context.config.environmentDirectory, fetcher: fetcher,
            defaults: DefaultEnvironment(baseURL: settings.defaultEnvironmentURL), verification: AssetVerificationCache(),
            backoff: backoff, events: EnvironmentAssetEvents(events: context.events, logger: context.logger), logger: context.logger)
        return EnvironmentAssetsController(
            store: context.store, reconciler: reconciler, queue: ReconcileQueue(limit: settings.parallelEnvironments),
            backoff: backoff, changes: context.storeChanges, pollInterval: settings.pollInterval,
            resyncInterval: settings.resyncInterval, logger: context.logger)
    }
}
