import AnvilJSON
import Foundation

/// What a server has done so far; daemons report it in `service.info`.
public struct BusServerStatistics: Sendable, Equatable {
    public var connectionsAccepted = 0
    public var activeConnections = 0
    /// Requests and notifications handed to the router.
    public var requestsServed = 0
    /// Error responses sent (parse, invalid request, unknown method, handler errors, over-size frames).
    public var errors = 0

    public init() {}

    public var json: JSONValue {
        [
            "connectionsAccepted": .int(Int64(connectionsAccepted)),
            "activeConnections": .int(Int64(activeConnections)),
            "requestsServed": .int(Int64(requestsServed)),
            "errors": .int(Int64(errors)),
        ]
    }
}

/// Lock-protected counters shared by a server's connection tasks.
final class BusServerCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var statistics = BusServerStatistics()

    var snapshot: BusServerStatistics {
        lock.withLock { statistics }
    }

    func update(_ body: (inout BusServerStatistics) -> Void) {
        lock.withLock { body(&statistics) }
    }
}
