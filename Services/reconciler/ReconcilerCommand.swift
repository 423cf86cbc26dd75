import AnvilDaemon
import ArgumentParser
import Foundation

/// Entry point: flags are wired here; the work lives in the daemon's own files.
@main
struct ReconcilerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciler", abstract: "Anvil reconciler: \(DaemonDescriptor.reconciler.summary).")

    @OptionGroup var options: DaemonOptions

    @Option(name: .customLong("change-feed-retention"), help: "Change-feed entries kept; older ones are compacted away hourly.")
    var changeFeedRetention: Int = 100_000

    @Option(
        name: .customLong("default-environment-url"),
        help: "Where the default Environment's vmlinuz-amd64 and initramfs-amd64.xz come from when it is created (a mirror for air-gapped sites; ANVIL_DEFAULT_ENVIRONMENT_URL; default Talos' release on GitHub).")
    var defaultEnvironmentURLFlag: String?

    /// The flag, else ANVIL_DEFAULT_ENVIRONMENT_URL, else Talos' release.
    var defaultEnvironmentURL: String {
        defaultEnvironmentURLFlag ?? ProcessInfo.processInfo.environment["ANVIL_DEFAULT_ENVIRONMENT_URL"] ?? DefaultEnvironment.releaseURL
    }

    func validate() throws {
        guard changeFeedRetention >= 1 else {
            throw ValidationError("--change-feed-retention: \(changeFeedRetention) must be at least 1")
        }
        let lower = defaultEnvironmentURL.lowercased()
        guard ["http://", "https://", "file:///"].contains(where: lower.hasPrefix) else {
            throw ValidationError("--default-environment-url (or ANVIL_DEFAULT_ENVIRONMENT_URL): \"\(defaultEnvironmentURL)\" is not an http://, https:// or file:/// URL")
        }
    }

    func run() async throws {
        let retention = changeFeedRetention
        var assets = EnvironmentAssetsService.Settings()
        assets.defaultEnvironmentURL = defaultEnvironmentURL
        try await Daemon.run(.reconciler, options: options) { [assets] context, _ in
            [
                ChangeFeedCompaction(store: context.store, retention: retention, interval: .seconds(3600), logger: context.logger),
                EnvironmentAssetsService(store: context.store, config: context.config, settings: assets, logger: context.logger),
            ]
        }
    }
}
