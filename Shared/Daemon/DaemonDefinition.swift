import AnvilBus
import ArgumentParser
import ServiceLifecycle

/// One daemon, as the skeleton runs it (docs/architecture.md "The daemon shape"): its options
/// (the shared setting groups it uses plus its own), how they resolve into settings, and how its
/// services, bus methods and HTTP routes are built. Lives in the daemon's `…Core` library; the
/// executable is ``DaemonCommand`` over it.
public protocol DaemonDefinition {
    associatedtype Options: ParsableArguments & Sendable
    associatedtype Settings: DaemonSettings

    static var descriptor: DaemonDescriptor { get }

    /// The daemon's own settings; a thrown error names the bad setting (the daemon exits 2).
    static func settings(from options: Options, config: DaemonConfig, source: SettingSource) throws -> Settings

    /// The daemon's services, bus methods and HTTP routes.
    static func make(settings: Settings, context: DaemonContext, bus: inout BusRouter) async throws -> DaemonParts
}

/// A daemon's resolved settings, shown by `service.info`.
public protocol DaemonSettings: Sendable {
    var summary: [String: String] { get }
}

/// What a daemon adds to the skeleton.
public struct DaemonParts {
    public var services: [any Service]
    public var routes: [DaemonHTTPRoute]

    public init(services: [any Service] = [], routes: [DaemonHTTPRoute] = []) {
        self.services = services
        self.routes = routes
    }
}
