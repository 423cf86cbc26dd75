import AnvilBus
import AnvilController
import AnvilDaemon
import AsyncHTTPClient
import Logging
import ServiceLifecycle

/// Every controller, run while this reconciler holds the store lease (one active reconciler;
/// a standby takes over when the lease expires), stopped promptly on graceful shutdown
/// (downloads are cancelled and their temporary files removed).
struct ControllersService: Service {
    let context: DaemonContext
    let settings: ReconcilerSettings

    func run() async throws {
        let logger = context.logger
        let client = HTTPAssetSource.makeClient()
        let lease = LeaderLease(
            store: context.store, busName: context.config.busName, duration: settings.leaseDuration,
            renewInterval: settings.leaseDuration / 3, logger: logger)
        logger.info(
            "controllers starting",
            metadata: ["environments": "\(context.config.environmentDirectory.path)", "defaultEnvironmentURL": "\(settings.assets.defaultEnvironmentURL)"])
        await cancelWhenGracefulShutdown {
            // Every controller write is fenced by the lease: once another reconciler holds it, a
            // write still in flight here is refused by the store instead of landing late.
            let fenced = context.replacingStore(with: context.store.fenced(by: lease.fence))
            await lease.whileLeading {
                await withDiscardingTaskGroup { group in
                    for runner in runners(fenced, client: client) { group.addTask { await runner() } }
                }
            }
        }
        // A fresh task: this one may be cancelled, and shutdown must still happen.
        await Task {
            do { try await client.shutdown() } catch { logger.warning("http client shutdown failed", metadata: ["error": "\(error)"]) }
        }.value
    }

    /// The controllers on the runtime (docs/architecture.md "How to add… a controller").
    private func runners(_ context: DaemonContext, client: HTTPClient) -> [@Sendable () async -> Void] {
        let runtime = ControllerSettings(
            workers: settings.controllerWorkers, pollInterval: settings.assets.pollInterval, resyncInterval: .seconds(3600))
        let power = BMCDPowerControl(directory: ServiceDirectory(runDirectory: context.config.runDirectory.path))
        let servers = ServerReconciler(
            store: context.store, power: power, events: context.events, settings: settings.serverLifecycle, logger: context.logger)
        let (store, events, logger) = (context.store, context.events, context.logger)
        return [
            run(EnvironmentAssets.reconciler(context: context, settings: settings.assets, client: client),
                EnvironmentAssets.controllerSettings(settings.assets)),
            run(servers, runtime),
            run(ServerClassReconciler(store: store, events: events, logger: logger), runtime),
            run(MetalMachineReconciler(store: store, events: events, logger: logger), runtime),
            run(ServerBindingReconciler(store: store, events: events, logger: logger), runtime),
            run(MetalClusterReconciler(store: store, events: events, logger: logger), runtime),
            run(OwnerReferenceCollector(store: store, events: events, logger: logger), runtime),
        ]
    }

    /// The runner only reads the change feed: the unfenced store serves it.
    private func run<R: Reconciler>(_ reconciler: R, _ settings: ControllerSettings) -> @Sendable () async -> Void {
        let runner = ControllerRunner(
            reconciler: reconciler, store: context.store, changes: context.storeChanges, settings: settings, logger: context.logger)
        return { await runner.run() }
    }
}
