import Synchronization

/// The fleet's BMCs (docs/simulator.md "Fleet"): one `SimulatedBMC` per machine, all on one
/// `SimulatedBMCServer` on 127.0.0.1 with ports the kernel picks, faults dealt by
/// `FleetBMCFaultPlan`. `factory` is what `Fleet` calls for each machine.
public final class FleetBMCs: Sendable {
    public static let user = "admin"
    /// What the BMCs accept; a wrong-password BMC's machine tells Anvil `wrongPassword` instead.
    public static let password = "sim-password"
    public static let wrongPassword = "not-the-password"

    public let plan: FleetBMCFaultPlan
    private let server: SimulatedBMCServer
    private let bmcs = Mutex<[Int: SimulatedBMC]>([:])

    public init(count: Int, faults: FleetFaults, seed: UInt64) throws {
        plan = FleetBMCFaultPlan(count: count, faults: faults, seed: seed)
        server = try SimulatedBMCServer()
    }

    public var factory: BMCEndpointFactory {
        { [self] index, chassis in
            let kind = index < plan.kinds.count ? plan.kinds[index] : nil
            let bmc = SimulatedBMC(chassis: chassis, user: Self.user, password: Self.password, faults: FleetBMCFaultPlan.behaviour(kind))
            let port = try await server.add(bmc)
            bmcs.withLock { $0[index] = bmc }
            return SimulatedBMCEndpoint(
                host: server.host, port: port, user: Self.user,
                password: kind == .wrongPassword ? Self.wrongPassword : Self.password)
        }
    }

    /// Every BMC's counts added up.
    public var totals: BMCStatistics {
        bmcs.withLock { $0.values.reduce(BMCStatistics()) { $0 + $1.statistics } }
    }

    /// The fault of machine `index`'s BMC, if any.
    public func fault(of index: Int) -> FleetBMCFaultPlan.Kind? {
        index < plan.kinds.count ? plan.kinds[index] : nil
    }

    public func stop() async {
        await server.stop()
    }
}
