/// Who a simulated machine is: what its firmware reports (SMBIOS UUID, serial), its NICs and
/// disks, and the loopback address it speaks from (docs/simulator.md "Identities").
public struct MachineIdentity: Sendable, Equatable, Codable {
    /// Short name for log lines and reports (`sim-007`).
    public var name: String
    /// SMBIOS type 1 UUID, lower case: the Server's name in Anvil.
    public var uuid: String
    public var serial: String
    public var manufacturer: String
    public var productName: String
    /// The address every request of this machine comes from (127.x.y.z; Linux routes 127/8 to lo).
    public var address: String
    /// NIC MACs, lower case with colons; the first one network-boots.
    public var macs: [String]
    /// Disk sizes in bytes (`/dev/sda`, `/dev/sdb`, …).
    public var diskSizes: [UInt64]
    public var cpuCount: Int
    public var memoryBytes: UInt64

    public init(
        name: String, uuid: String, serial: String, manufacturer: String = "AnvilSim", productName: String = "SimNode",
        address: String, macs: [String], diskSizes: [UInt64], cpuCount: Int = 8, memoryBytes: UInt64 = 32 << 30
    ) {
        self.name = name
        self.uuid = uuid
        self.serial = serial
        self.manufacturer = manufacturer
        self.productName = productName
        self.address = address
        self.macs = macs
        self.diskSizes = diskSizes
        self.cpuCount = cpuCount
        self.memoryBytes = memoryBytes
    }
}
