import AnvilDaemon
import ArgumentParser
import TFTPDCore

/// Entry point: parses and hands over; tftpd itself is `TFTPDCore` (docs/architecture.md "The daemon shape").
@main
struct TFTPDCommand: AsyncParsableCommand {
    static let configuration = TFTPDaemon.commandConfiguration

    @OptionGroup var common: DaemonOptions
    @OptionGroup var options: TFTPDOptions

    func run() async throws {
        try await Daemon.run(TFTPDaemon.self, common: common, options: options)
    }
}
