import GRDB

/// What happened to which object at which revision. Watchers read `changes(after:)` from the
/// last revision they handled when a bus hint says something changed, and poll as a safety net
/// (docs/architecture.md "Change feed and hints").
public struct Change: Sendable, Hashable, Codable {
    public enum Verb: String, Sendable, Hashable, Codable {
        case created, updated, deleted
    }

    public var revision: Int64
    public var kind: String
    /// "" for cluster-scoped kinds.
    public var namespace: String
    public var name: String
    public var verb: Verb
    /// The object's resourceVersion after this change (equal to `revision`).
    public var resourceVersion: String

    public init(revision: Int64, kind: String, namespace: String, name: String, verb: Verb, resourceVersion: String) {
        self.revision = revision
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.verb = verb
        self.resourceVersion = resourceVersion
    }
}

/// The revision counter and the feed, written in the same transaction as the resource row.
struct ChangeLog: Sendable {
    /// Told each recorded revision once its transaction has committed (``StoreOptions/changeObserver``).
    let observer: (@Sendable (Int64) -> Void)?

    /// Takes the next global revision and records the change under it.
    func record(_ db: Database, kind: String, namespace: String, name: String, verb: Change.Verb) throws -> Int64 {
        guard let revision = try Int64.fetchOne(db, sql: "UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value")
        else { throw StoreError.corrupt("revision counter missing") }
        try db.execute(
            sql: "INSERT INTO changes (revision, kind, namespace, name, verb, resourceVersion) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [revision, kind, namespace, name, verb.rawValue, revision])
        if let observer {
            db.afterNextTransaction { _ in observer(revision) }
        }
        return revision
    }
}

extension Store {
    /// The latest revision (0 for an empty store). List, then watch from here.
    public func currentRevision() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT value FROM revision WHERE id = 1") ?? 0 }
    }

    /// Changes with revision > `after`, oldest first, at most `limit`.
    /// Throws `StoreError.revisionCompacted` if some of them were compacted away.
    public func changes(after revision: Int64, limit: Int = 1000) async throws -> [Change] {
        try await read { db in
            // Revisions are contiguous, so anything at or after the oldest kept entry is complete.
            // An empty feed holds nothing older than the next revision.
            let current = try Int64.fetchOne(db, sql: "SELECT value FROM revision WHERE id = 1") ?? 0
            let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(revision) FROM changes") ?? current + 1
            if revision < oldest - 1 {
                throw StoreError.revisionCompacted(requested: revision, oldestAvailable: oldest)
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT revision, kind, namespace, name, verb, resourceVersion FROM changes
                    WHERE revision > ? ORDER BY revision LIMIT ?
                    """,
                arguments: [revision, max(0, limit)])
            return try rows.map { row in
                let verbText: String = row[4]
                guard let verb = Change.Verb(rawValue: verbText) else {
                    throw StoreError.corrupt("change feed verb \"\(verbText)\"")
                }
                let resourceVersion: Int64 = row[5]
                return Change(
                    revision: row[0], kind: row[1], namespace: row[2], name: row[3], verb: verb,
                    resourceVersion: String(resourceVersion))
            }
        }
    }

    /// Drops all but the newest `keepingLast` feed entries; watchers further behind must re-list.
    /// Returns how many entries were removed.
    @discardableResult
    public func compactChanges(keepingLast count: Int) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM changes WHERE revision <= (SELECT value FROM revision WHERE id = 1) - ?",
                arguments: [max(0, count)])
            return db.changesCount
        }
    }
}
