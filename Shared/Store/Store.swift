import AnvilResources
import Foundation

/// The single source of truth, shared by every Anvil process: the facade over a ``StoreBackend``
/// (the embedded SQLite file, or a PostgreSQL database). It owns what both back-ends share —
/// validation, merging, write rules, sealing Secrets — and leaves each transaction's rows to the
/// back-end. Safe to use from any task and any number of processes at once; see
/// docs/architecture.md "Store".
public final class Store: Sendable {
    let backend: any StoreBackend
    let codec: ResourceCodec
    let validate: @Sendable (Resource) throws -> Resource
    let options: StoreOptions
    /// Set on a store returned by ``fenced(by:)``: every resource write checks it.
    let fence: WriteFence?

    /// Opens (creating if needed) `<dir>/anvil.db` and `<dir>/secrets.key`.
    /// `validate` sees every object a client creates or updates and returns what is stored;
    /// its errors reach the caller unchanged.
    public static func open(
        stateDirectory: URL,
        validate: @escaping @Sendable (Resource) throws -> Resource = { $0 },
        options: StoreOptions = StoreOptions()
    ) async throws -> Store {
        try await open(
            location: .sqlite(path: stateDirectory.appendingPathComponent("anvil.db")),
            secretsKey: stateDirectory.appendingPathComponent("secrets.key"),
            validate: validate, options: options)
    }

    /// Opens the store at `location`; the Secret key is read from (or, for a fresh store, created at) `secretsKey`.
    public static func open(
        location: StoreLocation,
        secretsKey: URL,
        validate: @escaping @Sendable (Resource) throws -> Resource = { $0 },
        options: StoreOptions = StoreOptions()
    ) async throws -> Store {
        switch location {
        case .sqlite(let path):
            let directory = path.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.database("cannot create state directory \(directory.path): \(error.localizedDescription)")
            }
            return try Store(databaseURL: path, keyURL: secretsKey, validate: validate, options: options)
        case .postgres(let url):
            return try await openPostgres(url: url, secretsKey: secretsKey, validate: validate, options: options)
        }
    }

    /// Opens an SQLite database and key at explicit paths (tests, tools). Blocks while another
    /// process holds the migration lock (`<database>.lock`).
    public convenience init(
        databaseURL: URL,
        keyURL: URL,
        validate: @escaping @Sendable (Resource) throws -> Resource = { $0 },
        options: StoreOptions = StoreOptions()
    ) throws {
        let (backend, key) = try SQLiteBackend.open(databaseURL: databaseURL, keyURL: keyURL, options: options)
        self.init(backend: backend, key: key, validate: validate, options: options)
    }

    /// For back-ends opened elsewhere (the PostgreSQL one): wraps an open back-end and its key.
    package convenience init(
        backend: any StoreBackend, key: [UInt8], validate: @escaping @Sendable (Resource) throws -> Resource,
        options: StoreOptions
    ) {
        self.init(backend: backend, codec: ResourceCodec(key: key), validate: validate, options: options, fence: nil)
    }

    init(
        backend: any StoreBackend, codec: ResourceCodec, validate: @escaping @Sendable (Resource) throws -> Resource,
        options: StoreOptions, fence: WriteFence?
    ) {
        self.backend = backend
        self.codec = codec
        self.validate = validate
        self.options = options
        self.fence = fence
    }

    /// Releases the back-end's connections and background tasks; the store is unusable afterwards.
    public func close() async {
        await backend.close()
    }
}
