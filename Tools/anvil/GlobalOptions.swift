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

    @Option(name: .long, help: "The store: sqlite:<path> or postgres://user:password@host:port/database (ANVIL_STORE; default sqlite:<state>/anvil.db).")
    var store: String?

    @Option(name: .customLong("secrets-key"), help: "The key that seals Secrets (ANVIL_SECRETS_KEY; default <state>/secrets.key).")
    var secretsKey: String?

    /// `--store`, else ANVIL_STORE, as given (the daemons `anvil up` starts get it too).
    var storeText: String? {
        store ?? ProcessInfo.processInfo.environment["ANVIL_STORE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var storeLocation: StoreLocation {
        get throws {
            guard let text = storeText else { return .sqlite(stateDirectory: stateDirectory) }
            do {
                return try StoreLocation.parse(text, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
            } catch {
                throw CLIError("\(store != nil ? "--store" : "ANVIL_STORE"): \"\(StoreLocation.masked(text))\" is not sqlite:<path> or postgres://user:password@host:port/database (\(error))")
            }
        }
    }

    /// `--secrets-key`, else ANVIL_SECRETS_KEY, else `<state>/secrets.key`.
    var secretsKeyURL: URL {
        let path = secretsKey ?? ProcessInfo.processInfo.environment["ANVIL_SECRETS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return path.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? stateDirectory.appendingPathComponent("secrets.key")
    }

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
        let location = try storeLocation
        if case .sqlite = location {
            try? FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        }
        do {
            return try await Store.open(location: location, secretsKey: secretsKeyURL, validate: ResourceValidator.validate, options: options)
        } catch {
            throw CLIError("cannot open the store \(location.displayName): \(error)")
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
