import AnvilResources
import Foundation
import GRDB

/// The object an event is about (Kubernetes' involvedObject).
public struct InvolvedObject: Sendable, Hashable, Codable {
    public var kind: String
    /// "" for cluster-scoped kinds.
    public var namespace: String
    public var name: String
    public var uid: String?

    public init(kind: String, namespace: String = "", name: String, uid: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    public init(_ resource: Resource) {
        self.init(kind: resource.kind, namespace: resource.namespace, name: resource.name, uid: resource.metadata.uid)
    }
}

public enum EventType: String, Sendable, Hashable, Codable {
    case normal = "Normal"
    case warning = "Warning"
}

/// Something that happened to an object, for `anvil describe` (like Kubernetes Events).
public struct Event: Sendable, Hashable, Codable {
    public var id: Int64
    public var involved: InvolvedObject
    public var type: EventType
    public var reason: String
    public var message: String
    /// The component that reported it, e.g. "bootd" or "reconciler/server-controller".
    public var source: String
    /// How many identical events were folded into this one.
    public var count: Int
    public var firstTimestamp: Date
    public var lastTimestamp: Date

    public init(
        id: Int64, involved: InvolvedObject, type: EventType, reason: String, message: String, source: String, count: Int = 1,
        firstTimestamp: Date, lastTimestamp: Date? = nil
    ) {
        self.id = id
        self.involved = involved
        self.type = type
        self.reason = reason
        self.message = message
        self.source = source
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp ?? firstTimestamp
    }
}

/// One event to record, `count` times over.
public struct EventRecord: Sendable, Hashable {
    public var involved: InvolvedObject
    public var type: EventType
    public var reason: String
    public var message: String
    public var source: String
    public var count: Int

    public init(involved: InvolvedObject, type: EventType, reason: String, message: String, source: String, count: Int = 1) {
        self.involved = involved
        self.type = type
        self.reason = reason
        self.message = message
        self.source = source
        self.count = count
    }
}

extension Store {
    /// Records an event. The same (object, reason, message) seen again within the dedup window
    /// (an hour by default) bumps `count` and `lastTimestamp` instead of adding a row.
    public func recordEvent(
        involved: InvolvedObject, type: EventType, reason: String, message: String, source: String
    ) async throws {
        try await recordEvents([
            EventRecord(involved: involved, type: type, reason: reason, message: message, source: source),
        ])
    }

    /// Records several events in one transaction, each `count` times (folded as ``recordEvent``
    /// folds repeats): for daemons that see many alike events at once, such as a boot storm.
    public func recordEvents(_ records: [EventRecord]) async throws {
        guard !records.isEmpty else { return }
        let clock = options.clock
        let retention = options.eventRetention
        try await write { db in
            let now = clock().timeIntervalSince1970
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

    /// Convenience: an event about a stored object.
    public func recordEvent(
        for resource: Resource, type: EventType, reason: String, message: String, source: String
    ) async throws {
        try await recordEvent(
            involved: InvolvedObject(resource), type: type, reason: reason, message: message, source: source)
    }

    /// Events matching the given filters (nil = any), oldest first so the newest is last;
    /// with `limit`, only the newest `limit` of them.
    public func events(kind: String? = nil, namespace: String? = nil, name: String? = nil, limit: Int? = nil)
        async throws -> [Event]
    {
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
    static func pruneEvents(_ db: Database, now: TimeInterval, retention: EventRetention) throws {
        try db.execute(sql: "DELETE FROM events WHERE lastTimestamp < ?", arguments: [now - retention.maxAge])
        try db.execute(
            sql: """
                DELETE FROM events WHERE id IN (
                    SELECT id FROM events ORDER BY lastTimestamp DESC, id DESC LIMIT -1 OFFSET ?)
                """,
            arguments: [max(0, retention.maxCount)])
    }
}
