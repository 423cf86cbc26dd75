import Foundation

/// A snapshot of the fleet (docs/simulator.md "Reports"): machines per phase, time per phase,
/// time to each milestone, HTTP calls; every machine's own record too.
public struct FleetReport: Sendable, Codable, Equatable {
    /// Seconds from the fleet's creation to the snapshot.
    public var elapsedSeconds: Double
    public var machineCount: Int
    /// Machines now in each phase (only phases with machines).
    public var phases: [String: Int]
    /// Machines that reached each milestone.
    public var milestones: [String: Int]
    /// Seconds spent in each phase, over the machines that spent any time in it.
    public var secondsInPhase: [String: Statistics]
    /// Seconds from the start to each milestone, over the machines that reached it.
    public var secondsToMilestone: [String: Statistics]
    public var httpCalls: Int
    public var httpFailures: Int
    public var boots: Int
    public var machines: [MachineRecord.Snapshot]
    /// The BMCs' counts, when the fleet has simulated BMCs (the command sets it).
    public var bmc: FleetBMCReport?

    public struct Statistics: Sendable, Codable, Equatable {
        public var count: Int
        public var mean: Double
        public var min: Double
        public var max: Double

        init(_ values: [Double]) {
            count = values.count
            mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            min = values.min() ?? 0
            max = values.max() ?? 0
        }
    }

    public init(elapsedSeconds: Double, machines: [MachineRecord.Snapshot]) {
        self.elapsedSeconds = elapsedSeconds
        self.machines = machines
        machineCount = machines.count
        phases = machines.reduce(into: [:]) { $0[$1.phase.rawValue, default: 0] += 1 }
        milestones = machines.reduce(into: [:]) { counts, machine in
            for milestone in machine.milestones.keys { counts[milestone, default: 0] += 1 }
        }
        var inPhase: [String: [Double]] = [:]
        var toMilestone: [String: [Double]] = [:]
        for machine in machines {
            for (phase, seconds) in machine.secondsInPhase where seconds > 0 { inPhase[phase, default: []].append(seconds) }
            for (milestone, seconds) in machine.milestones { toMilestone[milestone, default: []].append(seconds) }
        }
        secondsInPhase = inPhase.mapValues(Statistics.init)
        secondsToMilestone = toMilestone.mapValues(Statistics.init)
        httpCalls = machines.reduce(0) { $0 + $1.httpCalls }
        httpFailures = machines.reduce(0) { $0 + $1.httpFailures }
        boots = machines.reduce(0) { $0 + $1.boots }
    }

    /// One line: elapsed time, machines per phase (in lifecycle order), milestones, HTTP calls.
    public var statusLine: String {
        let phaseText = MachinePhase.allCases.compactMap { phase in phases[phase.rawValue].map { "\(phase.rawValue)=\($0)" } }
        let milestoneText = MachineMilestone.allCases.compactMap { milestone in milestones[milestone.rawValue].map { "\(milestone.rawValue)=\($0)" } }
        return String(format: "[%6.1fs] ", elapsedSeconds) + phaseText.joined(separator: " ")
            + (milestoneText.isEmpty ? "" : " | reached: " + milestoneText.joined(separator: " "))
            + " | http \(httpCalls) (\(httpFailures) failed) boots \(boots)" + (bmc.map { " ipmi \($0.commands)" } ?? "")
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
