/// System Information (type 1).
public struct SMBIOSSystem: Sendable, Hashable {
    public static let type: UInt8 = 1

    public var manufacturer: SMBIOSString?
    public var productName: SMBIOSString?
    public var version: SMBIOSString?
    public var serialNumber: SMBIOSString?
    /// Since SMBIOS 2.1.
    public var uuid: SMBIOSUUID?
    /// The raw wake-up type code (2.1+); see `SMBIOSNames.wakeUpType`.
    public var wakeUpType: UInt8?
    /// Since SMBIOS 2.4.
    public var skuNumber: SMBIOSString?
    /// Since SMBIOS 2.4.
    public var family: SMBIOSString?

    /// Decodes a type 1 structure; nil for any other type.
    /// - Parameter version: the table's version, which sets the UUID byte order.
    public init?(_ structure: SMBIOSStructure, version tableVersion: SMBIOSVersion) {
        guard structure.type == Self.type else { return nil }
        manufacturer = structure.string(at: 0x04)
        productName = structure.string(at: 0x05)
        version = structure.string(at: 0x06)
        serialNumber = structure.string(at: 0x07)
        // Version 2.1 added UUID and wake-up type (length 0x19), 2.4 SKU and family (0x1B).
        let version21 = structure.ifLength(atLeast: 0x19)
        uuid = version21?.bytes(at: 0x08, count: 16).map { SMBIOSUUID(bytes: $0, version: tableVersion) }
        wakeUpType = version21?.byte(at: 0x18)
        let version24 = structure.ifLength(atLeast: 0x1B)
        skuNumber = version24?.string(at: 0x19)
        family = version24?.string(at: 0x1A)
    }
}
