/// The names dmidecode 3.4 prints for enumerated fields; nil for a code outside the
/// specification (dmidecode prints "<OUT OF SPEC>").
public enum SMBIOSNames {
    /// Memory Device (type 17) "Type", offset 0x12.
    public static func memoryType(_ code: UInt8) -> String? {
        name(code, first: 0x01, in: memoryTypes)
    }

    /// Memory Device (type 17) "Form Factor", offset 0x0E.
    public static func memoryFormFactor(_ code: UInt8) -> String? {
        name(code, first: 0x01, in: memoryFormFactors)
    }

    /// System Information (type 1) "Wake-up Type", offset 0x18.
    public static func wakeUpType(_ code: UInt8) -> String? {
        name(code, first: 0x00, in: wakeUpTypes)
    }

    /// Chassis Information (type 3) "Type", offset 0x05 without its lock bit.
    public static func chassisType(_ code: UInt8) -> String? {
        name(code & 0x7F, first: 0x01, in: chassisTypes)
    }

    /// Processor Information (type 4) "Type", offset 0x05.
    public static func processorType(_ code: UInt8) -> String? {
        name(code, first: 0x01, in: processorTypes)
    }

    private static func name(_ code: UInt8, first: UInt8, in names: [String]) -> String? {
        guard code >= first, Int(code - first) < names.count else { return nil }
        return names[Int(code - first)]
    }

    private static let memoryTypes = [
        "Other", "Unknown", "DRAM", "EDRAM", "VRAM", "SRAM", "RAM", "ROM", "Flash", "EEPROM", "FEPROM", "EPROM",
        "CDRAM", "3DRAM", "SDRAM", "SGRAM", "RDRAM", "DDR", "DDR2", "DDR2 FB-DIMM", "Reserved", "Reserved",
        "Reserved", "DDR3", "FBD2", "DDR4", "LPDDR", "LPDDR2", "LPDDR3", "LPDDR4", "Logical non-volatile device",
        "HBM", "HBM2", "DDR5", "LPDDR5",
    ]

    private static let memoryFormFactors = [
        "Other", "Unknown", "SIMM", "SIP", "Chip", "DIP", "ZIP", "Proprietary Card", "DIMM", "TSOP",
        "Row Of Chips", "RIMM", "SODIMM", "SRIMM", "FB-DIMM", "Die",
    ]

    private static let wakeUpTypes = [
        "Reserved", "Other", "Unknown", "APM Timer", "Modem Ring", "LAN Remote", "Power Switch", "PCI PME#",
        "AC Power Restored",
    ]

    private static let chassisTypes = [
        "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower", "Portable",
        "Laptop", "Notebook", "Hand Held", "Docking Station", "All In One", "Sub Notebook", "Space-saving",
        "Lunch Box", "Main Server Chassis", "Expansion Chassis", "Sub Chassis", "Bus Expansion Chassis",
        "Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC", "Multi-system",
        "CompactPCI", "AdvancedTCA", "Blade", "Blade Enclosing", "Tablet", "Convertible", "Detachable",
        "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
    ]

    private static let processorTypes = [
        "Other", "Unknown", "Central Processor", "Math Processor", "DSP Processor", "Video Processor",
    ]
}
