import Foundation
import GRDB

/// The embedded back-end: one SQLite file (WAL) shared by every Anvil process on the host, through
/// a GRDB `DatabasePool`. Its transactions are in the SQLiteBackend+*.swift files, by subject.
final class SQLiteBackend: StoreBackend, Sendable {
    let pool: DatabasePool
    let path: String
    let busyRetries: Int
    let changeLog: ChangeLog

    private init(pool: DatabasePool, path: String, options: StoreOptions) {
        self.pool = pool
        self.path = path
        self.busyRetries = options.busyRetries
        self.changeLog = ChangeLog(observer: options.changeObserver)
    }

    /// Opens (creating and migrating if needed) the database at `databaseURL` and checks the Secret
    /// key at `keyURL` against it (creating the key for a store with no sealed Secret). Blocks while
    /// another process holds the migration lock (`<database>.lock`).
    static func open(databaseURL: URL, keyURL: URL, options: StoreOptions) throws -> (backend: SQLiteBackend, key: [UInt8]) {
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
            return (SQLiteBackend(pool: pool, path: path, options: options), key)
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
                guard DatabaseSetup.isContention(error), attempt < busyRetries else {
                    throw StoreError.database(StoreFileCheck.describe(error, path: path))
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
    }

    /// Stats the database file and its WAL: any process's commit changes them.
    func changeStamp() -> StoreChangeStamp {
        StoreChangeStamp(databasePath: path)
    }

    /// Nothing to stop: connections close when the pool is released, and there is no background
    /// task (change notifications are the bus's job on one host).
    func close() async {}
}
