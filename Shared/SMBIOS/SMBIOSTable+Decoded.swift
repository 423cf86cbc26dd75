/// The decoded structures of the types Anvil reads, in table order.
extension SMBIOSTable {
    /// BIOS Information (type 0): the first one.
    public var bios: SMBIOSBIOSInformation? {
        structures.lazy.compactMap(SMBIOSBIOSInformation.init).first
    }

    /// System Information (type 1): the first one (the specification allows only one).
    public var system: SMBIOSSystem? {
        let version = version
        return structures.lazy.compactMap { SMBIOSSystem($0, version: version) }.first
    }

    /// Baseboard Information (type 2) structures.
    public var baseboards: [SMBIOSBaseboard] {
        structures.compactMap(SMBIOSBaseboard.init)
    }

    /// Chassis Information (type 3) structures.
    public var chassis: [SMBIOSChassis] {
        structures.compactMap(SMBIOSChassis.init)
    }

    /// Processor Information (type 4) structures, populated sockets or not.
    public var processors: [SMBIOSProcessor] {
        structures.compactMap(SMBIOSProcessor.init)
    }

    /// Memory Device (type 17) structures, empty slots included.
    public var memoryDevices: [SMBIOSMemoryDevice] {
        structures.compactMap(SMBIOSMemoryDevice.init)
    }
}
