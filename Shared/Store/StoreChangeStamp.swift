#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A cheap "has any process committed since?" token: the size, time and inode of the database
/// file and its WAL. Every commit appends to the WAL and every checkpoint rewrites the database
/// file, so a commit by any process changes the stamp; reading it is two `stat` calls.
public struct StoreChangeStamp: Equatable, Sendable {
    var database: FileStamp
    var wal: FileStamp

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
    /// The current ``StoreChangeStamp`` of this store's files.
    public func changeStamp() -> StoreChangeStamp {
        let path = databaseURL.path
        return StoreChangeStamp(database: .init(path: path), wal: .init(path: path + "-wal"))
    }
}

/// Answers computed from the store, reused while no process has committed since (checked per
/// lookup with ``StoreChangeStamp``) and for at most `maximumAge`: the age bound covers the
/// instant between a commit's last WAL write and its becoming visible to readers.
public final class StoreReadCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        let stamp: StoreChangeStamp
        let storedAt: ContinuousClock.Instant
        let value: Value
    }

    private let store: Store
    private let maximumAge: Duration
    private let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    public init(store: Store, maximumAge: Duration = .seconds(1), capacity: Int = 50_000) {
        self.store = store
        self.maximumAge = maximumAge
        self.capacity = capacity
    }

    /// The cached value for `key`, or `compute()`'s (stored when it returns).
    public func value(for key: Key, compute: () async throws -> Value) async throws -> Value {
        let stamp = store.changeStamp()
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.stamp == stamp, now - entry.storedAt < maximumAge {
            return entry.value
        }
        // Stamp taken before reading: a commit landing during the read changes it, so the next
        // lookup reads again.
        let value = try await compute()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(stamp: stamp, storedAt: now, value: value)
        }
        return value
    }
}
