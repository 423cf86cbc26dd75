import AnvilJSON
import Foundation

/// What `service.info` answers: identity, version, pid, uptime and the resolved settings.
public struct DaemonInfo: Sendable {
    public static let version = AnvilVersion.current

    public let descriptor: DaemonDescriptor
    public let config: DaemonConfig
    /// The daemon's own resolved settings, shown next to the common ones.
    public let settings: [String: String]
    public let pid: Int32
    public let startedAt: Date
    private let startInstant: ContinuousClock.Instant

    public init(descriptor: DaemonDescriptor, config: DaemonConfig, settings: [String: String]) {
        self.descriptor = descriptor
        self.config = config
        self.settings = settings
        self.pid = ProcessInfo.processInfo.processIdentifier
        self.startedAt = Date()
        self.startInstant = .now
    }

    public var uptimeSeconds: Double {
        let elapsed = ContinuousClock.now - startInstant
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func json(httpPort: Int?, counters: JSONValue) -> JSONValue {
        var object: [String: JSONValue] = [
            "service": .string(descriptor.name),
            "name": .string(config.busName),
            "summary": .string(descriptor.summary),
            "version": .string(Self.version),
            "pid": .int(Int64(pid)),
            "startedAt": .string(startedAt.formatted(.iso8601)),
            "uptimeSeconds": .double(uptimeSeconds),
            "status": .string(descriptor.workStatus),
            "settings": .object(config.summary.merging(settings) { _, own in own }.mapValues { .string($0) }),
            "counters": counters,
        ]
        if let instance = config.instance { object["instance"] = .string(instance) }
        if let httpPort { object["httpPort"] = .int(Int64(httpPort)) }
        return .object(object)
    }
}
