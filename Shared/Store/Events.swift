import AnvilResources
import Foundation

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
        let records = records.filter { $0.count > 0 }
        guard !records.isEmpty else { return }
        try await backend.recordEvents(
            records, now: options.clock().timeIntervalSince1970, retention: options.eventRetention)
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
        try await backend.events(kind: kind, namespace: namespace, name: name, limit: limit)
    }
}
