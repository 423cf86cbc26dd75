import AnvilResources
import Foundation
import GRDB

/// The single source of truth: one SQLite file (WAL) shared by every Anvil process.
/// Safe to use from any task and any number of processes at once; see docs/architecture.md "Store".
public final class Store: Sendable {
    /// `<stateDirectory>/anvil.db`, or the path given to `init`.
    public let databaseURL: URL
    let pool: DatabasePool
    let cipher: SecretCipher
    let validate: @Sendable (Resource) throws -> Resource
    let options: StoreOptions
    let changeLog: ChangeLog

    /// Opens (creating if needed) `<dir>/anvil.db` and `<dir>/secrets.key`.
    /// `validate` sees every object a client creates or updates and returns what is stored;
    /// its errors reach the caller unchanged.
    public static func open(
        stateDirectory: URL,
        validate: @escaping @Sendable (Resource) throws -> Resource = { $0 },
        options: StoreOptions = StoreOptions()
    ) async throws -> Store {
        do {
            try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.database("cannot create state directory \(stateDirectory.path): \(error.localizedDescription)")
        }
        return try Store(
            databaseURL: stateDirectory.appendingPathComponent("anvil.db"),
            keyURL: stateDirectory.appendingPathComponent("secrets.key"),
            validate: validate,
            options: options)
    }

    /// Opens a database and key at explicit paths (tests, tools). Blocks while another process
    /// holds the migration lock (`<database>.lock`).
    public init(
        databaseURL: URL,
        keyURL: URL,
        validate: @escaping @Sendable (Resource) throws -> Resource = { $0 },
        options: StoreOptions = StoreOptions()
    ) throws {
        self.databaseURL = databaseURL
        self.validate = validate
        self.options = options
        self.changeLog = ChangeLog(observer: options.changeObserver)
        let path = databaseURL.path
        let configuration = DatabaseSetup.configuration(busyTimeout: options.busyTimeout)
        do {
            // Creating the file, switching it to WAL, migrating and checking the secrets key are
            // done by one process at a time; later openers find the work done.
            let (pool, key) = try FileLock.withExclusiveLock(path: path + ".lock") {
                try StoreFileCheck.requireAnvilStore(path: path, configuration: configuration)
                let pool = try DatabasePool(path: path, configuration: configuration)
                let migrator = StoreMigrations.migrator
                if try pool.read(migrator.hasBeenSuperseded) { throw StoreError.schemaTooNew }
                try migrator.migrate(pool)
                let key = try SecretKeyCheck.verifiedKey(keyPath: keyURL.path, databasePath: path, pool: pool)
                return (pool, key)
            }
            self.pool = pool
            self.cipher = SecretCipher(keyBytes: key)
        } catch let error as DatabaseError {
            throw StoreError.database(StoreFileCheck.describe(error, path: path))
        }
    }

    /// One write transaction (IMMEDIATE, so read-modify-write inside cannot deadlock),
    /// retried a few times if another process held the database past the busy timeout.
    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        try await retryingContention { try await pool.write(updates) }
    }

    /// One read transaction on a WAL snapshot; concurrent with writers.
    func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        try await retryingContention { try await pool.read(value) }
    }

    /// Runs `transaction` again (with a growing pause) while another process keeps the database
    /// busy past the busy timeout, `busyRetries` times at most; other database errors are thrown
    /// as ``StoreError/database(_:)``.
    private func retryingContention<T>(_ transaction: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await transaction()
            } catch let error as DatabaseError {
                guard DatabaseSetup.isContention(error), attempt < options.busyRetries else {
                    throw StoreError.database(StoreFileCheck.describe(error, path: databaseURL.path))
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
    }
}
