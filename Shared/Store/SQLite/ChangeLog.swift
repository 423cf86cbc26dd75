import GRDB

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
