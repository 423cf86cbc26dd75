import AnvilDaemon
import ArgumentParser

/// Entry point: flags are wired here; the work lives in the daemon's own modules.
@main
struct MetadataDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadatad", abstract: "Anvil metadatad: \(DaemonDescriptor.metadatad.summary).")

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        try await Daemon.run(.metadatad, options: options, httpListener: .daemon) { context, bus in
            try MetadataService.make(context: context, bus: &bus)
        }
    }
}
