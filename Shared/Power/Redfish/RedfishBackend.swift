import AnvilJSON
import AsyncHTTPClient
import NIOHTTP1

/// Power and boot device through a Redfish service (DMTF DSP0266): one ComputerSystem,
/// `ComputerSystem.Reset` for power, a `Boot` PATCH for the boot override.
public actor RedfishBackend: PowerBackend {
    public nonisolated let configuration: RedfishConfiguration
    private let transport: RedfishTransport
    private let lease: HTTPClientLease
    /// The system's link, found once (systems do not move while the BMC runs).
    private var systemLink: String?

    /// - Parameters:
    ///   - configuration: endpoint, system, credentials; a bad endpoint throws `.invalidConfiguration`.
    ///   - httpClient: a client to share; when nil the back-end makes its own and shuts it down in `shutdown()`.
    ///
    /// Call `shutdown()` before letting go of the back-end: an HTTP client freed while running traps in debug builds.
    public init(configuration: RedfishConfiguration, httpClient: HTTPClient? = nil) throws(PowerError) {
        let endpoint = try RedfishEndpoint(parsing: configuration.endpoint)
        if configuration.authentication == .session, configuration.user.isEmpty {
            throw .invalidConfiguration("Redfish session authentication needs a user")
        }
        guard configuration.timeout > .zero else {
            throw .invalidConfiguration("Redfish timeout must be positive, not \(configuration.timeout)")
        }
        self.configuration = configuration
        lease = HTTPClientLease(lent: httpClient)
        transport = RedfishTransport(configuration: configuration, endpoint: endpoint, lease: lease)
    }

    public func powerState() async throws(PowerError) -> Bool {
        try await system().isPoweredOn()
    }

    public func power(_ action: PowerAction) async throws(PowerError) {
        let system = try await system()
        let target = try system.resetTarget()
        let offered = try await resetTypes(of: system)
        let steps = try RedfishResetPlan.steps(for: action, poweredOn: try system.isPoweredOn(), offered: offered)
        for step in steps {
            switch step {
            case .reset(let type):
                _ = try await transport.send(.POST, target, body: ["ResetType": .string(type)])
            case .waitUntilOff:
                try await waitUntilOff()
            }
        }
    }

    public func setBootDevice(_ request: BootDeviceRequest) async throws(PowerError) {
        let system = try await system()
        let body = try RedfishBootOverride.body(for: request, system: system)
        var headers: HTTPHeaders = [:]
        // With the ETag a BMC that requires it accepts the PATCH, and a concurrent change is refused
        // rather than silently overwritten.
        if let etag = system.etag { headers.add(name: "If-Match", value: etag) }
        _ = try await transport.send(.PATCH, system.link, body: body, headers: headers)
    }

    public func info() async throws(PowerError) -> [String: String] {
        let system = try await system()
        var facts = system.facts
        facts["kind"] = "redfish"
        facts["endpoint"] = configuration.endpoint
        if let types = try await resetTypes(of: system) {
            facts["resetTypes"] = types.joined(separator: ",")
        }
        return facts
    }

    public func shutdown() async {
        await transport.logout()
        await lease.release()
    }

    /// The system resource as it is now.
    private func system() async throws(PowerError) -> RedfishSystem {
        let link = try await locateSystem()
        let reply = try await transport.get(link)
        return try RedfishSystem(link: link, reply: reply, request: "GET \(transport.endpoint.url(link))")
    }

    private func locateSystem() async throws(PowerError) -> String {
        if let systemLink { return systemLink }
        let path = RedfishSystemLocator.collectionPath
        let collection = try await transport.get(path).object("GET \(transport.endpoint.url(path))")
        let link = try RedfishSystemLocator.choose(
            from: RedfishSystemLocator.members(of: collection), systemId: configuration.systemId)
        systemLink = link
        return link
    }

    /// The ResetTypes offered inline or through `@Redfish.ActionInfo`; nil when the system does not say.
    private func resetTypes(of system: RedfishSystem) async throws(PowerError) -> [String]? {
        if let inline = system.inlineResetTypes { return inline }
        guard let infoLink = system.resetActionInfoLink else { return nil }
        let info = try await transport.get(infoLink).object("GET \(transport.endpoint.url(infoLink))")
        return RedfishSystem.resetTypes(fromActionInfo: info)
    }

    /// The off half of a cycle made of two resets must land before On is sent, or a BMC that
    /// applies resets late would see On for a running system and then turn it off.
    private func waitUntilOff() async throws(PowerError) {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.powerOffWait
        while true {
            if try await !system().isPoweredOn() { return }
            guard clock.now < deadline else {
                throw .deadlineExceeded(
                    "the system was still on \(configuration.powerOffWait.secondsText) after ForceOff")
            }
            do {
                try await Task.sleep(for: configuration.powerPollInterval)
            } catch {
                throw .deadlineExceeded("cancelled while waiting for the system to power off")
            }
        }
    }
}
