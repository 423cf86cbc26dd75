import AnvilDaemon
import ArgumentParser
import MetadatadCore

/// Entry point: parses and hands over; metadatad itself is `MetadatadCore` (docs/architecture.md "The daemon shape").
@main
struct MetadataDCommand: AsyncParsableCommand {
    static let configuration = MetadataDaemon.commandConfiguration

    @OptionGroup var common: DaemonOptions
    @OptionGroup var options: MetadataOptions

    func run() async throws {
        try await Daemon.run(MetadataDaemon.self, common: common, options: options)
    }
}
