import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// Options every subcommand shares: where the suite keeps its state.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "State directory (ANVIL_STATE; default ./.anvil).")
    var state: String?

    var stateDirectory: URL {
        let path = state ?? ProcessInfo.processInfo.environment["ANVIL_STATE"].flatMap { $0.isEmpty ? nil : $0 } ?? ".anvil"
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    var runDirectory: URL {
        if let run = ProcessInfo.processInfo.environment["ANVIL_RUN_DIR"], !run.isEmpty {
            return URL(fileURLWithPath: run, isDirectory: true).standardizedFileURL
        }
        return stateDirectory.appendingPathComponent("run", isDirectory: true)
    }

    var logsDirectory: URL { stateDirectory.appendingPathComponent("logs", isDirectory: true) }

    /// Opens the store every write goes through, with the resource validator on every write.
    func openStore() async throws -> Store {
        do {
            return try await Store.open(stateDirectory: stateDirectory, validate: ResourceValidator.validate)
        } catch {
            throw CLIError("cannot open the store in \(stateDirectory.path): \(error)")
        }
    }
}
