import AnvilDaemon
import ArgumentParser
import Foundation

/// `anvil logs SERVICE [-f]`: prints a daemon's log file, optionally following it.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print a daemon's log (logs/<service>.log).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "tftpd, bootd, metadatad, bmcd or reconciler.") var service: String
    @Flag(name: .shortAndLong, help: "Keep printing new lines as they arrive.") var follow = false
    @Option(name: .long, help: "Only the last N lines.") var tail: Int?

    func run() async throws {
        try await runCLI {
            guard DaemonDescriptor.all.contains(where: { $0.name == service }) else {
                throw CLIError("no daemon named \"\(service)\" (known: \(DaemonDescriptor.all.map(\.name).joined(separator: ", ")))")
            }
            let url = global.logsDirectory.appendingPathComponent("\(service).log")
            guard let handle = try? FileHandle(forReadingFrom: url) else {
                throw CLIError("no log for \(service) at \(url.path) (has `anvil up` run with this state directory?)")
            }
            // The throwing reads: readDataToEndOfFile() and availableData trap on any read error.
            let data = try handle.readToEnd() ?? Data()
            var text = String(decoding: data, as: UTF8.self)
            if let tail {
                text = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(tail + 1).joined(separator: "\n")
            }
            StandardStream.output.write(text)
            guard follow else { return }
            while !Task.isCancelled {
                let more = try handle.read(upToCount: 65536) ?? Data()
                if more.isEmpty {
                    try await Task.sleep(for: .milliseconds(200))
                } else {
                    StandardStream.write(Array(more), to: StandardStream.output.rawValue)
                }
            }
        }
    }
}
