import Foundation
import PostgresNIO

/// Events as Events.swift defines them for SQLite. Under READ COMMITTED two hosts could both miss
/// the row to fold into and both insert, so recordEvents serialises on an advisory lock (C4).
extension PostgresBackend {
    package func recordEvents(_ records: [EventRecord], now: Double, retention: EventRetention) async throws {
        let records = records.filter { $0.count > 0 }
        guard !records.isEmpty else { return }
        let logger = self.logger
        let schema = url.schema
        try await inTransaction("recording events") { connection in
            // Keyed by schema too, so stores sharing a database do not wait on each other.
            try await connection.rows(
                "SELECT pg_advisory_xact_lock(hashtext(\(schema)), hashtext('anvil.events'))", logger: logger)
            for record in records {
                try await Self.insertOrFold(connection, record, now: now, retention: retention, logger: logger)
            }
        }
    }

    private static func insertOrFold(
        _ connection: PostgresConnection, _ record: EventRecord, now: Double, retention: EventRetention, logger: Logger
    ) async throws {
        let involved = record.involved
        let folded = try await connection.rows(
            """
            UPDATE events SET count = count + \(Int64(record.count)), last_timestamp = \(now), type = \(record.type.rawValue),
                source = \(record.source), uid = COALESCE(\(involved.uid)::text, uid)
            WHERE id = (SELECT id FROM events
                WHERE kind = \(involved.kind) AND namespace = \(involved.namespace) AND name = \(involved.name)
                  AND reason = \(record.reason) AND message = \(record.message)
                  AND last_timestamp >= \(now - retention.dedupWindow)
                ORDER BY last_timestamp DESC LIMIT 1)
            RETURNING id
            """, logger: logger)
        if !folded.isEmpty { return }
        let inserted = try await connection.rows(
            """
            INSERT INTO events (kind, namespace, name, uid, type, reason, message, source, count, first_timestamp, last_timestamp)
            VALUES (\(involved.kind), \(involved.namespace), \(involved.name), \(involved.uid), \(record.type.rawValue),
                \(record.reason), \(record.message), \(record.source), \(Int64(record.count)), \(now), \(now))
            RETURNING id
            """, logger: logger)
        // Prune on every Nth insert only (ids come from an identity, so this is a cheap modulo).
        guard let id = try inserted.first.map({ try $0.decode(Int64.self) }) else { return }
        if id % Int64(max(1, retention.pruneEvery)) == 0 {
            try await pruneEvents(connection, now: now, retention: retention, logger: logger)
        }
    }

    /// Removes events older than the retention age, then all but the newest `maxCount`.
    private static func pruneEvents(_ connection: PostgresConnection, now: Double, retention: EventRetention, logger: Logger)
        async throws
    {
        try await connection.rows("DELETE FROM events WHERE last_timestamp < \(now - retention.maxAge)", logger: logger)
        try await connection.rows(
            """
            DELETE FROM events WHERE id IN (
                SELECT id FROM events ORDER BY last_timestamp DESC, id DESC OFFSET \(Int64(max(0, retention.maxCount))))
            """, logger: logger)
    }

    package func events(kind: String?, namespace: String?, name: String?, limit: Int?) async throws -> [Event] {
        var binds = PostgresBindings()
        var conditions: [String] = []
        for (column, value) in [("kind", kind), ("namespace", namespace), ("name", name)] {
            if let value {
                binds.append(value)
                conditions.append("\(column) = $\(binds.count)")
            }
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        var limitClause = "ALL"
        if let limit {
            binds.append(Int64(max(0, limit)))
            limitClause = "$\(binds.count)"
        }
        // PostgreSQL before 16 needs the derived table aliased.
        let sql = """
            SELECT * FROM (
                SELECT id, kind, namespace, name, uid, type, reason, message, source, count, first_timestamp, last_timestamp
                FROM events \(filter) ORDER BY last_timestamp DESC, id DESC LIMIT \(limitClause)
            ) AS newest ORDER BY last_timestamp, id
            """
        let rows = try await rows("reading events", PostgresQuery(unsafeSQL: sql, binds: binds))
        do {
            return try rows.map { row in
                let (id, kind, namespace, name, uid, type, reason, message, source, count, first, last) = try row.decode(
                    (Int64, String, String, String, String?, String, String, String, String, Int64, Double, Double).self)
                return Event(
                    id: id, involved: InvolvedObject(kind: kind, namespace: namespace, name: name, uid: uid),
                    type: EventType(rawValue: type) ?? .normal, reason: reason, message: message, source: source,
                    count: Int(count), firstTimestamp: Date(timeIntervalSince1970: first),
                    lastTimestamp: Date(timeIntervalSince1970: last))
            }
        } catch {
            throw PostgresFailure.storeError(error, context: "reading events")
        }
    }
}
