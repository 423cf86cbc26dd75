import AnvilIPMIClient
import AnvilPower
import Logging
import NIOPosix

/// One back-end per distinct target (endpoint plus credentials), kept between calls so IPMI
/// sessions and HTTP connections are reused. A target unused for `idleLimit` is shut down.
actor PowerBackendPool {
    private struct Entry {
        let backend: any PowerBackend
        var lastUsed: ContinuousClock.Instant
    }

    private let settings: BMCDSettings
    private let fakeMachines: FakePowerMachines?
    private let limiter: AsyncFIFOSemaphore
    private let logger: Logger
    private let idleLimit: Duration
    private var entries: [PowerTarget: Entry] = [:]

    init(settings: BMCDSettings, fakeMachines: FakePowerMachines? = nil, logger: Logger, idleLimit: Duration = .seconds(900)) {
        self.settings = settings
        self.fakeMachines = fakeMachines
        self.limiter = AsyncFIFOSemaphore(permits: settings.maxBMCCommands)
        self.logger = logger
        self.idleLimit = idleLimit
    }

    func backend(for target: PowerTarget) async throws(PowerError) -> any PowerBackend {
        let now = ContinuousClock.now
        await evictIdle(now: now)
        if var entry = entries[target] {
            entry.lastUsed = now
            entries[target] = entry
            return entry.backend
        }
        let backend = try make(target)
        entries[target] = Entry(backend: backend, lastUsed: now)
        return backend
    }

    /// The IPMI back-end of a target, for IPMI-only calls (user enrolment).
    func ipmiBackend(for target: PowerTarget) async throws(PowerError) -> IPMIBackend? {
        try await backend(for: target) as? IPMIBackend
    }

    func shutdownAll() async {
        let backends = entries.values.map(\.backend)
        entries.removeAll()
        // Together: closing a session on a BMC that no longer answers waits out a timeout.
        await withTaskGroup(of: Void.self) { group in
            for backend in backends { group.addTask { await backend.shutdown() } }
        }
    }

    var count: Int { entries.count }

    private func make(_ target: PowerTarget) throws(PowerError) -> any PowerBackend {
        switch target {
        case .ipmi(let endpoint):
            let client = IPMIClient(
                endpoint: endpoint,
                policy: IPMIRetryPolicy(timeout: settings.ipmiTimeout, retries: settings.ipmiRetries, maximumTimeout: settings.ipmiTimeout * 4),
                sessionIdleLimit: settings.ipmiSessionIdle, group: MultiThreadedEventLoopGroup.singleton, limiter: limiter, logger: logger)
            return IPMIBackend(client: client)
        case .managementAPI(let endpoint):
            return SerializedPowerBackend(
                try ManagementAPIBackend(endpoint: endpoint, timeout: settings.httpTimeout), limiter: limiter)
        case .redfish(var configuration):
            configuration.timeout = settings.httpTimeout
            return SerializedPowerBackend(try RedfishBackend(configuration: configuration), limiter: limiter)
        case .fake(let server):
            guard let fakeMachines else { throw .invalidConfiguration("fake power needs --fake-power") }
            return FakePowerBackend(name: server, machines: fakeMachines)
        }
    }

    private func evictIdle(now: ContinuousClock.Instant) async {
        let stale = entries.filter { now - $0.value.lastUsed > idleLimit }
        for (target, entry) in stale {
            entries[target] = nil
            logger.debug("closing idle back-end", metadata: ["kind": "\(target.kind)"])
            await entry.backend.shutdown()
        }
    }
}
