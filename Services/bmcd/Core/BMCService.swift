import AnvilBus
import AnvilDaemon
import Logging
import ServiceLifecycle

/// bmcd's lifecycle: the bus methods are live while it runs; on shutdown every session is
/// closed on its BMC (a BMC has few session slots and frees abandoned ones only after a timeout).
struct BMCService: Service {
    let pool: PowerBackendPool

    static func make(settings: BMCDSettings, context: DaemonContext, bus: inout BusRouter) -> DaemonParts {
        let logger = context.logger
        let fakeMachines = settings.fakePower ? FakePowerMachines() : nil
        let pool = PowerBackendPool(settings: settings, fakeMachines: fakeMachines, logger: logger)
        if let fakeMachines {
            logger.warning("--fake-power: no BMC is driven; every Server's power is simulated in memory")
            FakePowerBusAPI.register(into: &bus, machines: fakeMachines)
        }
        let api = PowerBusAPI(
            resolver: PowerTargetResolver(store: context.store, settings: settings), pool: pool,
            status: ServerPowerStatusWriter(store: context.store), events: context.events, settings: settings,
            metrics: BMCMetrics(registry: context.metrics), logger: logger)
        api.register(into: &bus)
        return DaemonParts(services: [BMCService(pool: pool)])
    }

    func run() async throws {
        try? await gracefulShutdown()
        await pool.shutdownAll()
    }
}
