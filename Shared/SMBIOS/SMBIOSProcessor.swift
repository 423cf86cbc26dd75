/// Processor Information (type 4).
public struct SMBIOSProcessor: Sendable, Hashable {
    public static let type: UInt8 = 4

    public var socketDesignation: SMBIOSString?
    /// The processor type code; see `SMBIOSNames.processorType`.
    public var processorType: UInt8?
    /// The processor family code: Processor Family 2 (offset 0x28) when the byte at 0x06 is 0xFE.
    public var family: UInt16?
    public var manufacturer: SMBIOSString?
    public var version: SMBIOSString?
    /// MHz; nil when absent or 0 (unknown).
    public var maxSpeed: Int?
    /// MHz; nil when absent or 0 (unknown).
    public var currentSpeed: Int?
    /// The raw status byte: bit 6 is "socket populated", bits 0–2 the CPU status.
    public var status: UInt8?
    /// Since SMBIOS 2.3.
    public var serialNumber: SMBIOSString?
    public var assetTag: SMBIOSString?
    public var partNumber: SMBIOSString?
    /// Since 2.5; nil when absent or 0 (unknown). 0xFF means "see Core Count 2" (3.0).
    public var coreCount: Int?
    public var coreEnabled: Int?
    public var threadCount: Int?

    /// Status bit 6: a processor sits in this socket.
    public var isSocketPopulated: Bool {
        guard let status else { return false }
        return status & 0x40 != 0
    }

    /// Decodes a type 4 structure; nil for any other type.
    public init?(_ structure: SMBIOSStructure) {
        guard structure.type == Self.type else { return nil }
        socketDesignation = structure.string(at: 0x04)
        processorType = structure.byte(at: 0x05)
        family = structure.byte(at: 0x06).map { family in
            family == 0xFE ? (structure.word(at: 0x28) ?? UInt16(family)) : UInt16(family)
        }
        manufacturer = structure.string(at: 0x07)
        version = structure.string(at: 0x10)
        maxSpeed = Self.known(structure.word(at: 0x14))
        currentSpeed = Self.known(structure.word(at: 0x16))
        status = structure.byte(at: 0x18)
        // Version 2.3 added the three strings (length 0x23), 2.5 the counts (0x28).
        let version23 = structure.ifLength(atLeast: 0x23)
        serialNumber = version23?.string(at: 0x20)
        assetTag = version23?.string(at: 0x21)
        partNumber = version23?.string(at: 0x22)
        if let version25 = structure.ifLength(atLeast: 0x28) {
            coreCount = Self.count(version25, byteAt: 0x23, wordAt: 0x2A)
            coreEnabled = Self.count(version25, byteAt: 0x24, wordAt: 0x2C)
            threadCount = Self.count(version25, byteAt: 0x25, wordAt: 0x2E)
        }
    }

    /// A count whose byte says 0xFF when the real value is in the 3.0 WORD field
    /// (more than 255 cores or threads); 0 means unknown. A 0xFF byte in a structure
    /// too short for the WORD is taken as 255, as dmidecode does.
    private static func count(_ structure: SMBIOSStructure, byteAt: Int, wordAt: Int) -> Int? {
        guard let byte = structure.byte(at: byteAt), byte != 0 else { return nil }
        if byte == 0xFF, let word = structure.word(at: wordAt) { return Int(word) }
        return Int(byte)
    }

    private static func known(_ value: UInt16?) -> Int? {
        guard let value, value != 0 else { return nil }
        return Int(value)
    }
}
