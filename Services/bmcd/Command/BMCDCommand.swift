import AnvilDaemon
import ArgumentParser
import BMCDCore

/// Entry point: parses and hands over; bmcd itself is `BMCDCore` (docs/architecture.md "The daemon shape").
@main
struct BMCDCommand: AsyncParsableCommand {
    static let configuration = BMCDaemon.commandConfiguration

    @OptionGroup var common: DaemonOptions
    @OptionGroup var options: BMCDOptions

    func run() async throws {
        try await Daemon.run(BMCDaemon.self, common: common, options: options)
    }
}
