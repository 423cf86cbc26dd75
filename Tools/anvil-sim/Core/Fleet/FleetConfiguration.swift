/// What a fleet is: how many machines, seeded how, talking to which bootd (docs/simulator.md).
public struct FleetConfiguration: Sendable {
    public var servers: Int
    public var seed: UInt64
    /// bootd's base URL.
    public var bootd: String
    public var timings: MachineTimings
    public var faults: FleetFaults
    /// The machines' addresses are 127.<this>.x.y.
    public var addressSecondOctet: Int
    /// Machines fetch `/boot.ipxe` and follow its chain line (`--boot-ipxe`).
    public var fetchBootScript: Bool
    /// Machines `--until` does not wait for besides those with machine faults: the ones whose
    /// BMC is faulty (FleetBMCFaultPlan), by index.
    public var unhealthy: Set<Int> = []

    public init(
        servers: Int, seed: UInt64 = 1, bootd: String = "http://127.0.0.1:8081", timings: MachineTimings = MachineTimings(),
        faults: FleetFaults = FleetFaults(), addressSecondOctet: Int = 77, fetchBootScript: Bool = false
    ) {
        self.fetchBootScript = fetchBootScript
        self.servers = servers
        self.seed = seed
        self.bootd = bootd
        self.timings = timings
        self.faults = faults
        self.addressSecondOctet = addressSecondOctet
    }

    /// Salts that keep each fault's choice of machines independent.
    enum FaultSalt: UInt64 {
        case agentDies = 0xA6E7, duplicateUUID = 0xD0D0, changingMAC = 0x3AC5
    }

    /// Each machine's faults: the chosen fractions; a duplicate-UUID machine takes the UUID of the
    /// next machine (so two machines report it).
    func machineFaults(identities: [MachineIdentity]) -> [MachineFaults] {
        let count = identities.count
        let dies = FleetIdentities.chosen(fraction: faults.agentDies, count: count, seed: seed, salt: FaultSalt.agentDies.rawValue)
        let duplicate = count < 2 ? [] : FleetIdentities.chosen(fraction: faults.duplicateUUID, count: count, seed: seed, salt: FaultSalt.duplicateUUID.rawValue)
        let changing = FleetIdentities.chosen(fraction: faults.changingMAC, count: count, seed: seed, salt: FaultSalt.changingMAC.rawValue)
        return (0..<count).map { index in
            MachineFaults(
                agentDiesMidWipe: dies.contains(index),
                duplicateUUID: duplicate.contains(index) ? identities[(index + 1) % count].uuid : nil,
                changingMAC: changing.contains(index))
        }
    }
}
