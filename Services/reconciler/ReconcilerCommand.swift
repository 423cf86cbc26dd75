import AnvilDaemon
import ArgumentParser

/// Entry point: flags are wired here; the work lives in the daemon's own files.
@main
struct ReconcilerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciler", abstract: "Anvil reconciler: \(DaemonDescriptor.reconciler.summary).")

    @OptionGroup var options: DaemonOptions

    @Option(name: .customLong("change-feed-retention"), help: "Change-feed entries kept; older ones are compacted away hourly.")
    var changeFeedRetention: Int = 100_000

    func validate() throws {
        guard changeFeedRetention >= 1 else {
            throw ValidationError("--change-feed-retention: \(changeFeedRetention) must be at least 1")
        }
    }

    func run() async throws {
        let retention = changeFeedRetention
        try await Daemon.run(.reconciler, options: options) { context, _ in
            [ChangeFeedCompaction(store: context.store, retention: retention, interval: .seconds(3600), logger: context.logger)]
        }
    }
}
