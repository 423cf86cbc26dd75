import AnvilDaemon
import ArgumentParser

/// Entry point: flags are wired here; the work lives in the daemon's own modules.
@main
struct BootDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootd", abstract: "Anvil bootd: \(DaemonDescriptor.bootd.summary).")

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await Daemon.run(.bootd, options: options, httpListener: .daemon) { context, bus in
            try BootdService.make(context: context, bus: &bus)
        }
    }
}
