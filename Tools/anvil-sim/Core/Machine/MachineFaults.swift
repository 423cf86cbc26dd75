/// Faults of the machine side, per machine (docs/simulator.md "Faults"); BMC faults live with the BMC.
public struct MachineFaults: Sendable, Equatable, Codable {
    /// The agent stops halfway through its wipe: no more heartbeats, never marks wiped; the
    /// machine then sits until its next power event.
    public var agentDiesMidWipe: Bool
    /// The SMBIOS UUID this machine reports instead of its own (two machines with one UUID).
    public var duplicateUUID: String?
    /// The boot NIC's MAC changes on every boot (a NIC swapped, a firmware that randomises it).
    public var changingMAC: Bool

    public init(agentDiesMidWipe: Bool = false, duplicateUUID: String? = nil, changingMAC: Bool = false) {
        self.agentDiesMidWipe = agentDiesMidWipe
        self.duplicateUUID = duplicateUUID
        self.changingMAC = changingMAC
    }

    public var isHealthy: Bool { !agentDiesMidWipe && duplicateUUID == nil && !changingMAC }

    /// Names of the faults set, for logs and reports.
    public var names: [String] {
        var names: [String] = []
        if agentDiesMidWipe { names.append("agent-dies") }
        if duplicateUUID != nil { names.append("duplicate-uuid") }
        if changingMAC { names.append("changing-mac") }
        return names
    }
}
