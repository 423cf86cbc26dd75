import AnvilDaemon
import ArgumentParser
import Foundation

/// Entry point: flags are wired here; the work lives in the daemon's own modules.
@main
struct BMCDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bmcd", abstract: "Anvil bmcd: \(DaemonDescriptor.bmcd.summary).")

    @OptionGroup var options: DaemonOptions
    @OptionGroup var bmc: BMCDOptions

    func run() async throws {
        let bmc = self.bmc
        try await Daemon.run(.bmcd, options: options) { context, bus in
            let settings: BMCDSettings
            do {
                settings = try BMCDSettings(options: bmc, config: context.config)
            } catch {
                FileHandle.standardError.write(Data("bmcd: \(error)\n".utf8))
                throw ExitCode(2)
            }
            return BMCService.make(settings: settings, context: context, bus: &bus)
        }
    }
}
