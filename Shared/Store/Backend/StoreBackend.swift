import Foundation

/// Where a store lives: the embedded SQLite file (the default, one host) or a PostgreSQL database
/// shared by several hosts (docs/architecture.md "Store").
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: URL)
    /// A `postgres://user:password@host:port/database?schema=…` URL (also `postgresql://`).
    case postgres(url: String)
}

/// A resource's identity in the store; `namespace` is "" for cluster-scoped kinds.
package struct ResourceKey: Hashable, Sendable {
    package var kind: String
    package var namespace: String
    package var name: String

    package init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }
}

/// One row of the `resources` table as the back-end stores it. `metadata` and `body` are JSON
/// text and `sealed` is a Secret's AES-GCM payload: encoding, decoding and sealing belong to the
/// shared ``ResourceCodec``, so both back-ends store byte-identical rows.
package struct StoredRow: Sendable, Equatable {
    package var kind: String
    package var namespace: String
    package var name: String
    package var uid: String
    package var apiVersion: String
    package var metadata: String
    package var body: String
    package var sealed: Data?
    /// The object's resourceVersion (the revision of its last write).
    package var revision: Int64

    package init(
        kind: String, namespace: String, name: String, uid: String, apiVersion: String, metadata: String, body: String,
        sealed: Data?, revision: Int64
    ) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.metadata = metadata
        self.body = body
        self.sealed = sealed
        self.revision = revision
    }

    package var key: ResourceKey { ResourceKey(kind: kind, namespace: namespace, name: name) }
}

/// What a write transaction does to the row it read.
package enum RowWrite: Sendable, Equatable {
    /// Insert `row` (the key must not exist: the decision saw no row).
    case insert(StoredRow)
    /// Replace the stored row's columns with `row`'s.
    case replace(StoredRow)
    /// Delete the row.
    case remove
}

/// The outcome of ``StoreBackend/writeResource(_:_:)``'s decision: nothing to write (`write` nil,
/// no revision taken), or one row write recorded in the change feed as `verb`.
package struct WriteDecision<T: Sendable>: Sendable {
    package var write: RowWrite?
    package var verb: Change.Verb
    package var result: T

    package init(write: RowWrite?, verb: Change.Verb, result: T) {
        self.write = write
        self.verb = verb
        self.result = result
    }

    package static func nothing(_ result: T) -> WriteDecision<T> {
        WriteDecision(write: nil, verb: .updated, result: result)
    }
}

/// Rows as one consistent read sees them, for ``StoreBackend/snapshot(_:)``; valid only inside it.
package struct SnapshotRows {
    package let lookup: (ResourceKey) throws -> StoredRow?

    package init(lookup: @escaping (ResourceKey) throws -> StoredRow?) {
        self.lookup = lookup
    }
}

/// The row-level work of a store: each method is one transaction of the back-end. ``Store`` is
/// the facade above it and owns everything both back-ends share — validation, merging, write
/// rules, sealing — so the two cannot drift (docs/architecture.md "Store").
///
/// Rules every back-end keeps:
/// - One global revision (0 in an empty store). Each resource write takes the next one in the
///   same transaction that writes the row and appends the change; commit order is revision order,
///   so a reader never sees a revision without its row or a gap in the feed below the current one.
/// - `changeObserver` (given at open) is called with each committed revision after its commit.
/// - Contention (a busy database, a serialization failure, a lost connection before commit) is
///   retried inside the back-end; what is still failing is thrown as ``StoreError/database(_:)``
///   naming the problem, never the password.
package protocol StoreBackend: Sendable {
    /// The row of `key`, or nil.
    func fetch(_ key: ResourceKey) async throws -> StoredRow?

    /// Runs `body` against one consistent view of the rows: every lookup inside sees the same
    /// state. `body` is pure (it only reads), so a back-end may run it more than once.
    func snapshot<T: Sendable>(_ body: @Sendable (SnapshotRows) throws -> T) async throws -> T

    /// Rows of `kind` (in `namespace`, or all when nil) ordered by namespace then name, compared
    /// byte-wise (SQLite BINARY, PostgreSQL COLLATE "C").
    func list(kind: String, namespace: String?) async throws -> [StoredRow]

    /// One write transaction: reads the row of `key`, passes it and the revision a write would get
    /// to `decide`, and, when the decision writes, takes that revision, appends the change
    /// (`verb`) and applies the row write. Whatever `decide` throws aborts the transaction
    /// (nothing written) and reaches the caller unchanged. Writers of any key are serialised, so
    /// `nextRevision` is exact. With a `fence`, the lease row is read in the same transaction (and
    /// locked against a takeover until commit) and the write refused with
    /// ``StoreError/leaseLost(lease:holder:current:)`` unless the fence's holder holds it.
    func writeResource<T: Sendable>(
        _ key: ResourceKey, fence: WriteFence?, _ decide: @Sendable (_ stored: StoredRow?, _ nextRevision: Int64) throws -> WriteDecision<T>
    ) async throws -> T

    /// The latest revision (0 for an empty store).
    func currentRevision() async throws -> Int64
    /// Changes after `revision`, oldest first, at most `limit`; throws
    /// ``StoreError/revisionCompacted(requested:oldestAvailable:)`` when some were compacted away.
    func changes(after revision: Int64, limit: Int) async throws -> [Change]
    /// Drops all but the newest `keepingLast` feed entries; returns how many went.
    func compactChanges(keepingLast count: Int) async throws -> Int

    /// Records `records` in one transaction at time `now` (seconds since 1970): an identical
    /// (object, reason, message) whose lastTimestamp is within `retention.dedupWindow` is folded
    /// (count added, lastTimestamp/type/source updated, uid kept unless given), even when two
    /// hosts record it at once; pruning as ``EventRetention`` says.
    func recordEvents(_ records: [EventRecord], now: Double, retention: EventRetention) async throws
    /// Events matching the filters (nil = any), oldest first; with `limit`, the newest `limit`.
    func events(kind: String?, namespace: String?, name: String?, limit: Int?) async throws -> [Event]

    /// Takes or renews lease `name` for `holder` until `now() + seconds`, `now()` read once the
    /// transaction holds its locks (a writer that waited must not shorten the lease by its wait): true if it was free,
    /// expired (expiresAt <= now) or already `holder`'s (renewal keeps acquiredAt); false if another
    /// holder's lease is live. Two contenders on any number of hosts never both win.
    func acquireLease(name: String, holder: String, now: @escaping @Sendable () -> Double, seconds: Double) async throws -> Bool
    func releaseLease(name: String, holder: String) async throws -> Bool
    func lease(name: String) async throws -> Lease?

    /// ``Store/startBootAttempt(uuid:address:mac:window:)``'s transaction, with the nonce of a new
    /// attempt chosen by the caller.
    func startBootAttempt(uuid: String, address: String, mac: String?, now: Date, windowSeconds: Double, nonce: String)
        async throws -> BootAttemptStart
    /// `.first` exactly once per attempt, whatever the number of concurrent fetches on any host.
    func useBootAttempt(uuid: String, nonce: String, address: String, now: Double) async throws -> BootAttemptUse
    func bootAttempt(uuid: String) async throws -> BootAttempt?

    /// A consistency check of the store's files ("ok" or the problems), nil when the back-end has
    /// none of its own (PostgreSQL).
    func integrityCheck() async throws -> String?

    /// A cheap token that changes when any process has committed since (see ``StoreReadCache``).
    func changeStamp() -> StoreChangeStamp

    /// The revisions other processes commit, as they are committed, for back-ends shared by
    /// several hosts (PostgreSQL's notifications); nil when there is no such channel (SQLite: a
    /// host's processes tell each other over the bus). Each call returns a new stream; a revision
    /// means "the feed reaches at least here" and may repeat. Finished by ``close()``.
    func changeNotifications() -> AsyncStream<Int64>?

    /// Releases connections and background tasks. The store is unusable afterwards.
    func close() async
}

extension StoreBackend {
    package func changeNotifications() -> AsyncStream<Int64>? { nil }

    /// An unfenced write.
    package func writeResource<T: Sendable>(
        _ key: ResourceKey, _ decide: @Sendable (_ stored: StoredRow?, _ nextRevision: Int64) throws -> WriteDecision<T>
    ) async throws -> T {
        try await writeResource(key, fence: nil, decide)
    }
}
