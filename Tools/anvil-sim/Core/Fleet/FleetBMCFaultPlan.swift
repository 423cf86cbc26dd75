/// Which machines get which BMC fault (docs/simulator.md "Faults"): disjoint sets, so
/// `--fault-frozen-bmc 0.02 --fault-slow-bmc 0.02 …` makes exactly that many faulty BMCs, each
/// with one fault, chosen by the seed from a shuffled order of the machines.
public struct FleetBMCFaultPlan: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case packetLoss = "packet-loss"
        case powerLie = "power-lie"
        case slow
        case frozen
        case wrongPassword = "wrong-password"
    }

    /// The fault of each machine's BMC, nil when it behaves.
    public let kinds: [Kind?]

    /// What each fault does to a BMC: 30 % of datagrams lost; "on" for 10 s after a power-off
    /// (Sidero PR #657); 2 s per answer; silent after 40 answered datagrams (a burst, then
    /// nothing); wrong password is the credentials Anvil is given, not a BMC behaviour.
    public static func behaviour(_ kind: Kind?) -> BMCFaults {
        switch kind {
        case .packetLoss: return BMCFaults(packetLoss: 0.3)
        case .powerLie: return BMCFaults(powerLieSeconds: 10)
        case .slow: return BMCFaults(commandDelay: .seconds(2))
        case .frozen: return BMCFaults(freezeAfter: 40)
        case .wrongPassword, nil: return .none
        }
    }

    public init(count: Int, faults: FleetFaults, seed: UInt64) {
        var random = SeededRandom(seed: seed ^ 0xB3C0, stream: 0xFA17)
        let order = Array(0..<count).shuffled(using: &random)
        var kinds = [Kind?](repeating: nil, count: count)
        var next = 0
        let fractions: [(Kind, Double)] = [
            (.packetLoss, faults.packetLoss), (.powerLie, faults.powerLie), (.slow, faults.slowBMC),
            (.frozen, faults.frozenBMC), (.wrongPassword, faults.wrongPassword),
        ]
        for (kind, fraction) in fractions {
            let wanted = min(count - next, Int((fraction * Double(count)).rounded()))
            for index in order[next..<(next + max(0, wanted))] { kinds[index] = kind }
            next += max(0, wanted)
        }
        self.kinds = kinds
    }
}
