import PostgresNIO
import Synchronization

/// ``StoreBackend/snapshot(_:)``: the body is synchronous and SQL is not, so it runs over rows
/// already fetched inside one REPEATABLE READ, READ ONLY transaction. A lookup of a key not yet
/// fetched is recorded and throws; the missed rows are then fetched in the same transaction (the
/// same view) and the body, which is pure, runs again (docs/plans/issue-18-store-backends.md §4).
extension PostgresBackend {
    /// A body that still asks for new keys after this many passes is looping, not reading.
    static let snapshotPasses = 32

    package func snapshot<T: Sendable>(_ body: @Sendable (SnapshotRows) throws -> T) async throws -> T {
        let logger = self.logger
        return try await inTransaction("reading a snapshot", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", readOnly: true)
        { connection in
            var fetched: [ResourceKey: StoredRow?] = [:]
            for _ in 0..<Self.snapshotPasses {
                let misses = SnapshotMisses()
                let known = fetched
                let outcome = Result { try body(SnapshotRows { key in try misses.lookup(key, in: known) }) }
                let missed = misses.keys
                // Kept even when the body swallowed the miss with `try?`: its answer is incomplete.
                if missed.isEmpty { return try outcome.get() }
                for key in missed {
                    fetched[key] = .some(try await Self.fetchRow(connection, key, logger: logger))
                }
            }
            throw StoreError.database(
                "a snapshot read asked for new rows on each of \(Self.snapshotPasses) passes; its body must be pure")
        }
    }
}

/// Keys a snapshot pass looked up but had not fetched. A class behind a lock because
/// ``SnapshotRows``' closure escapes into the body.
private final class SnapshotMisses: Sendable {
    private let missed = Mutex<[ResourceKey]>([])

    /// Thrown for a key not fetched yet; never reaches the caller.
    struct Miss: Error {}

    var keys: [ResourceKey] { missed.withLock { $0 } }

    func lookup(_ key: ResourceKey, in known: [ResourceKey: StoredRow?]) throws -> StoredRow? {
        if let row = known[key] { return row }
        missed.withLock { if !$0.contains(key) { $0.append(key) } }
        throw Miss()
    }
}
