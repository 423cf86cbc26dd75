import AnvilDaemon
import ArgumentParser
import ReconcilerCore

/// Entry point: parses and hands over; the reconciler itself is `ReconcilerCore` (docs/architecture.md "The daemon shape").
@main
struct ReconcilerCommand: AsyncParsableCommand {
    static let configuration = ReconcilerDaemon.commandConfiguration

    @OptionGroup var common: DaemonOptions
    @OptionGroup var options: ReconcilerOptions

    func run() async throws {
        try await Daemon.run(ReconcilerDaemon.self, common: common, options: options)
    }
}
