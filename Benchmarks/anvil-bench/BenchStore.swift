import AnvilResources
import AnvilStore
import Foundation

/// The store a benchmark runs on: `--store` as given, else SQLite in a temporary directory. A
/// PostgreSQL run gets a fresh schema of its own, `anvil_bench_<pid>`, dropped at the end; a given
/// SQLite file must not exist yet and is removed at the end. The Secret key lives in `directory`.
struct BenchStore {
    let directory: URL
    let location: StoreLocation
    /// The location as `--store` takes it, for the worker processes.
    let locationText: String
    var secretsKey: URL { directory.appendingPathComponent("secrets.key") }

    init(_ text: String?, name: String) throws {
        directory = URL(fileURLWithPath: "/tmp/anvil-bench-\(name)-\(getpid())")
        let given = text ?? "sqlite:\(directory.appendingPathComponent("anvil.db").path)"
        let parsed = try StoreLocation.parse(given, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        switch parsed {
        case .sqlite(let path):
            if text != nil, FileManager.default.fileExists(atPath: path.path) {
                throw BenchFailure("\(path.path) exists; the benchmark needs a new file (it removes it at the end)")
            }
            location = parsed
            locationText = "sqlite:\(path.path)"
        case .postgres(let url):
            locationText = try PostgresTool.withSchema(url, "anvil_bench_\(getpid())")
            location = .postgres(url: locationText)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Opens the store, runs `body`, closes the store and removes what the run created, also when `body` throws.
    func run<T>(
        validate: @escaping @Sendable (Resource) throws -> Resource = { $0 }, options: StoreOptions = StoreOptions(),
        _ body: (Store) async throws -> T
    ) async throws -> T {
        let store: Store
        do {
            store = try await Store.open(location: location, secretsKey: secretsKey, validate: validate, options: options)
        } catch {
            cleanUp()
            throw error
        }
        do {
            let result = try await body(store)
            await store.close()
            cleanUp()
            return result
        } catch {
            await store.close()
            cleanUp()
            throw error
        }
    }

    /// Drops the PostgreSQL schema or removes the SQLite files, and the temporary directory.
    func cleanUp() {
        switch location {
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path.path + suffix) }
        case .postgres(let url):
            if let tool = try? PostgresTool(url: url), let schema = tool.schema {
                do {
                    try tool.psql("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
                } catch {
                    FileHandle.standardError.write(Data("anvil-bench: could not drop schema \(schema): \(error)\n".utf8))
                }
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
