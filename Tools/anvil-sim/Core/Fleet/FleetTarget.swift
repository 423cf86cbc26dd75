/// A state `--until` waits for every healthy machine to reach (docs/simulator.md "Targets"):
/// a phase (where the machine is now) or a milestone (reached once), or `wiped-off`.
public enum FleetTarget: Sendable, Equatable {
    case phase(MachinePhase)
    case milestone(MachineMilestone)
    /// Marked wiped and powered off: what `anvil accept` leads to with Anvil's defaults.
    case wipedOff

    public init?(_ text: String) {
        if text == "wiped-off" {
            self = .wipedOff
        } else if let milestone = MachineMilestone(rawValue: text) {
            self = .milestone(milestone)
        } else if let phase = MachinePhase(rawValue: text) {
            self = .phase(phase)
        } else {
            return nil
        }
    }

    /// Every accepted spelling, for error messages.
    public static var names: [String] {
        ["wiped-off"] + MachineMilestone.allCases.map(\.rawValue) + MachinePhase.allCases.map(\.rawValue).filter { MachineMilestone(rawValue: $0) == nil }
    }

    func isReached(by machine: SimulatedMachine) -> Bool {
        switch self {
        case .phase(let phase): return machine.record.phase == phase
        case .milestone(let milestone): return machine.record.reached(milestone)
        case .wipedOff: return machine.record.reached(.wiped) && !machine.chassis.isPoweredOn
        }
    }
}
