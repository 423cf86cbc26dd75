/// System Enclosure or Chassis (type 3).
public struct SMBIOSChassis: Sendable, Hashable {
    public static let type: UInt8 = 3

    public var manufacturer: SMBIOSString?
    /// The chassis type code without the lock bit; see `SMBIOSNames.chassisType`.
    public var chassisType: UInt8?
    /// Bit 7 of the type byte: the chassis has a lock.
    public var hasLock: Bool?
    public var version: SMBIOSString?
    public var serialNumber: SMBIOSString?
    public var assetTag: SMBIOSString?
    /// Since SMBIOS 2.7: follows the contained-element records, so its offset varies.
    public var skuNumber: SMBIOSString?

    /// Decodes a type 3 structure; nil for any other type.
    public init?(_ structure: SMBIOSStructure) {
        guard structure.type == Self.type else { return nil }
        manufacturer = structure.string(at: 0x04)
        let typeByte = structure.byte(at: 0x05)
        chassisType = typeByte.map { $0 & 0x7F }
        hasLock = typeByte.map { $0 & 0x80 != 0 }
        version = structure.string(at: 0x06)
        serialNumber = structure.string(at: 0x07)
        assetTag = structure.string(at: 0x08)
        // n contained elements of m bytes each start at 0x15; the SKU string follows them.
        if let count = structure.byte(at: 0x13), let recordLength = structure.byte(at: 0x14) {
            skuNumber = structure.string(at: 0x15 + Int(count) * Int(recordLength))
        }
    }
}
