import AnvilBus
import AnvilDaemon
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation
import Synchronization

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
    func openStore(options: StoreOptions = StoreOptions()) async throws -> Store {
        do {
            return try await Store.open(stateDirectory: stateDirectory, validate: ResourceValidator.validate, options: options)
        } catch {
            throw CLIError("cannot open the store in \(stateDirectory.path): \(error)")
        }
    }

    /// Runs `body` on the store, then hints every running daemon that the store changed (if it
    /// did), so their watchers react at once, as to a daemon's own write (docs/architecture.md
    /// "Change feed and hints"). Hints go out even when `body` fails after writing.
    func withWritableStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        let written = Mutex<Int64>(0)
        let store = try await openStore(options: StoreOptions(changeObserver: { revision in written.withLock { $0 = max($0, revision) } }))
        let result: Result<T, any Error>
        do { result = .success(try await body(store)) } catch { result = .failure(error) }
        let revision = written.withLock { $0 }
        if revision > 0 {
            await StoreChangeHints.send(revision: revision, directory: ServiceDirectory(runDirectory: runDirectory.path), from: "anvil")
        }
        return try result.get()
    }
}
