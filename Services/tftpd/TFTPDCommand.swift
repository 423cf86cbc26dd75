import AnvilDaemon
import ArgumentParser
import Foundation

/// Entry point: flags are wired here; the work lives in the daemon's own modules.
@main
struct TFTPDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tftpd", abstract: "Anvil tftpd: \(DaemonDescriptor.tftpd.summary).")

    @OptionGroup var options: DaemonOptions
    @OptionGroup var tftp: TFTPDOptions

    func run() async throws {
        let tftp = self.tftp
        try await Daemon.run(.tftpd, options: options) { context, bus in
            let settings: TFTPDSettings
            do {
                settings = try TFTPDSettings(options: tftp, config: context.config)
            } catch {
                FileHandle.standardError.write(Data("tftpd: \(error)\n".utf8))
                throw ExitCode(2)
            }
            return try TFTPService.make(settings: settings, context: context, bus: &bus)
        }
    }
}
