/// Baseboard (or Module) Information (type 2).
public struct SMBIOSBaseboard: Sendable, Hashable {
    public static let type: UInt8 = 2

    public var manufacturer: SMBIOSString?
    public var productName: SMBIOSString?
    public var version: SMBIOSString?
    public var serialNumber: SMBIOSString?
    public var assetTag: SMBIOSString?

    /// Decodes a type 2 structure; nil for any other type.
    public init?(_ structure: SMBIOSStructure) {
        guard structure.type == Self.type else { return nil }
        manufacturer = structure.string(at: 0x04)
        productName = structure.string(at: 0x05)
        version = structure.string(at: 0x06)
        serialNumber = structure.string(at: 0x07)
        assetTag = structure.string(at: 0x08)
    }
}
