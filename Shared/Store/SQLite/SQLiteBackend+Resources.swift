import GRDB

/// Resource rows: reads, the one-snapshot read and the write transaction every create, update
/// and delete goes through.
extension SQLiteBackend {
    func fetch(_ key: ResourceKey) async throws -> StoredRow? {
        try await read { db in try ResourceTable.fetch(db, key) }
    }

    /// One read transaction: a WAL snapshot, so every lookup sees the same state.
    func snapshot<T: Sendable>(_ body: @Sendable (SnapshotRows) throws -> T) async throws -> T {
        try await read { db in try body(SnapshotRows { key in try ResourceTable.fetch(db, key) }) }
    }

    func list(kind: String, namespace: String?) async throws -> [StoredRow] {
        try await read { db in try ResourceTable.list(db, kind: kind, namespace: namespace) }
    }

    /// One IMMEDIATE transaction, so no other writer (of any process) runs between reading the
    /// revision and taking the next one: `nextRevision` is exact.
    func writeResource<T: Sendable>(
        _ key: ResourceKey, fence: WriteFence?, _ decide: @Sendable (_ stored: StoredRow?, _ nextRevision: Int64) throws -> WriteDecision<T>
    ) async throws -> T {
        let changeLog = self.changeLog
        return try await write { db in
            // One writer at a time: a takeover cannot commit between this read and the commit.
            if let fence {
                try fence.check(current: try String.fetchOne(db, sql: "SELECT holder FROM leases WHERE name = ?", arguments: [fence.lease]))
            }
            let stored = try ResourceTable.fetch(db, key)
            guard let current = try Int64.fetchOne(db, sql: "SELECT value FROM revision WHERE id = 1") else {
                throw StoreError.corrupt("revision counter missing")
            }
            let decision = try decide(stored, current + 1)
            guard let write = decision.write else { return decision.result }
            let revision = try changeLog.record(
                db, kind: key.kind, namespace: key.namespace, name: key.name, verb: decision.verb)
            guard revision == current + 1 else {
                throw StoreError.corrupt("revision \(revision) taken where \(current + 1) was expected")
            }
            switch write {
            case .insert(let row): try ResourceTable.insert(db, row, revision: revision)
            case .replace(let row): try ResourceTable.replace(db, row, revision: revision)
            case .remove: try ResourceTable.remove(db, key)
            }
            return decision.result
        }
    }
}
