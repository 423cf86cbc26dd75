/// The BMCs' part of a fleet report: what Anvil asked of them (the benchmark's IPMI commands per
/// server) and how many of each fault the fleet had.
public struct FleetBMCReport: Sendable, Codable, Equatable {
    public var commands: Int
    public var commandsPerServer: Double
    public var sessionsOpened: Int
    public var loginsRefused: Int
    public var datagramsReceived: Int
    public var datagramsDropped: Int
    /// Commands by "netFn/command" (hex), e.g. "00/02" Chassis Control.
    public var commandsByKind: [String: Int]
    /// Machines whose BMC has each fault.
    public var faults: [String: Int]

    public init(totals: BMCStatistics, servers: Int, plan: FleetBMCFaultPlan) {
        commands = totals.commands
        commandsPerServer = servers == 0 ? 0 : Double(totals.commands) / Double(servers)
        sessionsOpened = totals.sessionsOpened
        loginsRefused = totals.loginsRefused
        datagramsReceived = totals.datagramsReceived
        datagramsDropped = totals.datagramsDropped
        commandsByKind = Dictionary(totals.commandsByKey.map { ($0.key.description, $0.value) }, uniquingKeysWith: +)
        faults = plan.kinds.compactMap { $0?.rawValue }.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
