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

extension Store {
    /// The latest revision (0 for an empty store). List, then watch from here.
    public func currentRevision() async throws -> Int64 {
        try await backend.currentRevision()
    }

    /// Changes with revision > `after`, oldest first, at most `limit`.
    /// Throws `StoreError.revisionCompacted` if some of them were compacted away.
    public func changes(after revision: Int64, limit: Int = 1000) async throws -> [Change] {
        try await backend.changes(after: revision, limit: limit)
    }

    /// Drops all but the newest `keepingLast` feed entries; watchers further behind must re-list.
    /// Returns how many entries were removed.
    @discardableResult
    public func compactChanges(keepingLast count: Int) async throws -> Int {
        try await backend.compactChanges(keepingLast: count)
    }

    /// Revisions committed by any host sharing this store, as they commit: a new stream per call,
    /// fed by the back-end's one listener (PostgreSQL LISTEN on a dedicated connection; its first
    /// element after every (re)connect is the current revision). nil for SQLite, whose processes
    /// share one host and hear each other through bus hints (docs/architecture.md "Change feed
    /// and hints"). A revision only says "read the feed up to here"; watchers still poll.
    public func changeNotifications() -> AsyncStream<Int64>? {
        backend.changeNotifications()
    }
}
