import AnvilDaemon
import ArgumentParser
import BootdCore

/// Entry point: parses and hands over; bootd itself is `BootdCore` (docs/architecture.md "The daemon shape").
@main
struct BootDCommand: AsyncParsableCommand {
    static let configuration = BootDaemon.commandConfiguration

    @OptionGroup var common: DaemonOptions
    @OptionGroup var options: BootdOptions

    func run() async throws {
        try await Daemon.run(BootDaemon.self, common: common, options: options)
    }
}
