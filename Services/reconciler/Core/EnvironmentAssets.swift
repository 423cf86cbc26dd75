import AnvilController
import AnvilDaemon
import AnvilStore
import AsyncHTTPClient
import Foundation

/// Builds the Environment asset controller (a fresh one, with its caches, per term of leadership).
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

    static func reconciler(context: DaemonContext, settings: Settings, client: HTTPClient) -> EnvironmentReconciler {
        let fetcher = AssetFetcher(
            http: HTTPAssetSource(client: client, totalTimeout: settings.downloadTimeout, logger: context.logger),
            sizeLimit: settings.sizeLimit)
        return EnvironmentReconciler(
            store: context.store, directory: context.config.environmentDirectory, fetcher: fetcher,
            defaults: DefaultEnvironment(baseURL: settings.defaultEnvironmentURL), verification: AssetVerificationCache(),
            backoff: RetryBackoff(), events: EnvironmentAssetEvents(events: context.events, logger: context.logger), logger: context.logger)
    }

    /// Downloads run `parallelEnvironments` at once (a failing one too: no failing lane); the
    /// listing is cheap, so resyncs are frequent.
    static func controllerSettings(_ settings: Settings) -> ControllerSettings {
        ControllerSettings(
            workers: settings.parallelEnvironments, pollInterval: settings.pollInterval, resyncInterval: settings.resyncInterval,
            failingLaneWorkers: settings.parallelEnvironments)
    }
}
