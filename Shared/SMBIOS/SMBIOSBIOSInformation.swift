/// BIOS Information (type 0).
public struct SMBIOSBIOSInformation: Sendable, Hashable {
    public static let type: UInt8 = 0

    public var vendor: SMBIOSString?
    public var version: SMBIOSString?
    public var releaseDate: SMBIOSString?

    /// Decodes a type 0 structure; nil for any other type.
    public init?(_ structure: SMBIOSStructure) {
        guard structure.type == Self.type else { return nil }
        vendor = structure.string(at: 0x04)
        version = structure.string(at: 0x05)
        releaseDate = structure.string(at: 0x08)
    }
}
