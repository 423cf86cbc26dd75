#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A cheap "has any process committed since?" token. SQLite: the size, time and inode of the
/// database file and its WAL — every commit appends to the WAL and every checkpoint rewrites the
/// database file, so a commit by any process changes the stamp; reading it is two `stat` calls.
/// PostgreSQL: the latest revision this process has seen (its own commits, and other hosts'
/// through the change notifications).
public struct StoreChangeStamp: Equatable, Sendable {
    enum Source: Equatable, Sendable {
        case files(database: FileStamp, wal: FileStamp)
        case revision(Int64)
    }

    let source: Source

    /// The stamp of an SQLite database at `path` (and its `-wal`).
    package init(databasePath path: String) {
        source = .files(database: FileStamp(path: path), wal: FileStamp(path: path + "-wal"))
    }

    /// A stamp that is the latest revision seen.
    package init(revision: Int64) {
        source = .revision(revision)
    }

    struct FileStamp: Equatable, Sendable {
        var size: Int64 = -1
        var seconds: Int = 0
        var nanoseconds: Int = 0
        var inode: UInt64 = 0

        init(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return }
            size = Int64(info.st_size)
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
            inode = UInt64(info.st_ino)
        }
    }
}

extension Store {
    /// The current ``StoreChangeStamp`` of this store (its files, or the latest revision seen).
    public func changeStamp() -> StoreChangeStamp {
        backend.changeStamp()
    }
}

/// Answers computed from the store, reused while no process has committed since (checked per
/// lookup with ``StoreChangeStamp``) and for at most `maximumAge`: the age bound covers the
/// instant between a commit's last WAL write and its becoming visible to readers. Concurrent
/// lookups of a stale key share one computation, so a commit under load costs one read per key,
/// not one per waiting request. Inlinable so callers get it specialised for their types.
public final class StoreReadCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline let stamp: StoreChangeStamp
        @usableFromInline let storedAt: ContinuousClock.Instant
        @usableFromInline let value: Value

        @usableFromInline
        init(stamp: StoreChangeStamp, storedAt: ContinuousClock.Instant, value: Value) {
            self.stamp = stamp
            self.storedAt = storedAt
            self.value = value
        }
    }

    @usableFromInline
    struct Table: Sendable {
        @usableFromInline var entries: [Key: Entry] = [:]
        /// Computations in flight, by key, with the stamp they were started under.
        @usableFromInline var running: [Key: (stamp: StoreChangeStamp, task: Task<Value, any Error>)] = [:]

        @usableFromInline init() {}
    }

    @usableFromInline let store: Store
    @usableFromInline let maximumAge: Duration
    @usableFromInline let capacity: Int
    @usableFromInline let table = Mutex<Table>(Table())

    public init(store: Store, maximumAge: Duration = .seconds(1), capacity: Int = 50_000) {
        self.store = store
        self.maximumAge = maximumAge
        self.capacity = capacity
    }

    /// The cached value for `key`, or `compute()`'s (stored when it returns).
    @inlinable
    public func value(for key: Key, compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let stamp = store.changeStamp()
        let now = ContinuousClock.now
        let maximumAge = self.maximumAge
        let found: (hit: Value?, task: Task<Value, any Error>?) = table.withLock { table in
            if let entry = table.entries[key], entry.stamp == stamp, now - entry.storedAt < maximumAge {
                return (entry.value, nil)
            }
            if let running = table.running[key], running.stamp == stamp {
                return (nil, running.task)
            }
            // Stamp taken before reading: a commit landing during the read changes it, so the
            // next lookup reads again.
            let task = Task { try await compute() }
            table.running[key] = (stamp, task)
            return (nil, task)
        }
        if let hit = found.hit { return hit }
        guard let task = found.task else { preconditionFailure("a lookup either hits or has a computation") }
        do {
            let value = try await task.value
            table.withLock { table in
                if let running = table.running[key], running.stamp == stamp { table.running[key] = nil }
                if table.entries[key].map({ $0.storedAt <= now }) ?? true {
                    if table.entries.count >= capacity { table.entries.removeAll(keepingCapacity: true) }
                    table.entries[key] = Entry(stamp: stamp, storedAt: now, value: value)
                }
            }
            return value
        } catch {
            table.withLock { table in
                if let running = table.running[key], running.stamp == stamp { table.running[key] = nil }
            }
            throw error
        }
    }
}
