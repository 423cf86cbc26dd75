import Foundation
import GRDB

/// The `events` table: folding repeats, pruning, and reading them back.
extension SQLiteBackend {
    /// One write transaction for all of `records`: the single writer makes the fold-or-insert safe.
    func recordEvents(_ records: [EventRecord], now: Double, retention: EventRetention) async throws {
        try await write { db in
            for record in records where record.count > 0 {
                try Self.insertOrFold(db, record, now: now, retention: retention)
            }
        }
    }

    private static func insertOrFold(_ db: Database, _ record: EventRecord, now: TimeInterval, retention: EventRetention) throws {
        let involved = record.involved
        try db.execute(
            sql: """
                UPDATE events SET count = count + ?, lastTimestamp = ?, type = ?, source = ?,
                    uid = COALESCE(?, uid)
                WHERE id = (SELECT id FROM events
                    WHERE kind = ? AND namespace = ? AND name = ? AND reason = ? AND message = ?
                      AND lastTimestamp >= ?
                    ORDER BY lastTimestamp DESC LIMIT 1)
                """,
            arguments: [
                record.count, now, record.type.rawValue, record.source, involved.uid, involved.kind, involved.namespace,
                involved.name, record.reason, record.message, now - retention.dedupWindow,
            ])
        if db.changesCount > 0 { return }
        try db.execute(
            sql: """
                INSERT INTO events (kind, namespace, name, uid, type, reason, message, source, count,
                    firstTimestamp, lastTimestamp)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                involved.kind, involved.namespace, involved.name, involved.uid, record.type.rawValue, record.reason,
                record.message, record.source, record.count, now, now,
            ])
        // Prune on every Nth insert only (ids are AUTOINCREMENT, so this is a cheap modulo).
        if db.lastInsertedRowID % Int64(max(1, retention.pruneEvery)) == 0 {
            try pruneEvents(db, now: now, retention: retention)
        }
    }

    func events(kind: String?, namespace: String?, name: String?, limit: Int?) async throws -> [Event] {
        try await read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            for (column, value) in [("kind", kind), ("namespace", namespace), ("name", name)] {
                if let value {
                    conditions.append("\(column) = ?")
                    arguments += [value]
                }
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let sql = """
                SELECT * FROM (
                    SELECT id, kind, namespace, name, uid, type, reason, message, source, count, firstTimestamp, lastTimestamp
                    FROM events \(filter) ORDER BY lastTimestamp DESC, id DESC LIMIT ?
                ) ORDER BY lastTimestamp, id
                """
            arguments += [limit.map { max(0, $0) } ?? -1]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let typeText: String = row[5]
                return Event(
                    id: row[0],
                    involved: InvolvedObject(kind: row[1], namespace: row[2], name: row[3], uid: row[4]),
                    type: EventType(rawValue: typeText) ?? .normal,
                    reason: row[6], message: row[7], source: row[8], count: row[9],
                    firstTimestamp: Date(timeIntervalSince1970: row[10]),
                    lastTimestamp: Date(timeIntervalSince1970: row[11]))
            }
        }
    }

    /// Removes events older than the retention age, then all but the newest `maxCount`.
    private static func pruneEvents(_ db: Database, now: TimeInterval, retention: EventRetention) throws {
        try db.execute(sql: "DELETE FROM events WHERE lastTimestamp < ?", arguments: [now - retention.maxAge])
        try db.execute(
            sql: """
                DELETE FROM events WHERE id IN (
                    SELECT id FROM events ORDER BY lastTimestamp DESC, id DESC LIMIT -1 OFFSET ?)
                """,
            arguments: [max(0, retention.maxCount)])
    }
}
