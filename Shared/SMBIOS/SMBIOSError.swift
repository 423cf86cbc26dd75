/// Why an SMBIOS entry point or structure table could not be read.
///
/// Every case names where the problem is, so a report from a machine with broken
/// firmware tables says which bytes to look at.
public enum SMBIOSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The entry point does not start with `_SM_` or `_SM3_`.
    case unknownEntryPointAnchor([UInt8])
    /// The entry point is shorter than its anchor's layout (or its own length byte) requires.
    case truncatedEntryPoint(anchor: String, length: Int, required: Int)
    /// The bytes of the entry point (or its `_DMI_` part, for 2.x) do not sum to zero.
    case badEntryPointChecksum(anchor: String)
    /// A 2.x entry point without the `_DMI_` intermediate anchor at offset 0x10.
    case missingIntermediateAnchor
    /// A structure header (type, length, handle) is cut off by the end of the table.
    case truncatedHeader(offset: Int, available: Int)
    /// A structure's length byte is below the 4-byte header.
    case invalidStructureLength(offset: Int, type: UInt8, length: UInt8)
    /// A structure's formatted area runs past the end of the table.
    case truncatedFormattedArea(offset: Int, type: UInt8, length: UInt8, available: Int)
    /// A structure's string set has no double-NUL terminator before the end of the table.
    case unterminatedStringSet(offset: Int, type: UInt8)
    /// A dump's entry point puts the table outside the dump.
    case tableOutsideDump(address: UInt64, dumpSize: Int)
    /// A file of the sysfs table directory could not be read.
    case unreadableFile(path: String)

    public var description: String {
        switch self {
        case .unknownEntryPointAnchor(let bytes):
            let hex = bytes.prefix(5).map { hexByte($0) }.joined(separator: " ")
            return "SMBIOS entry point: unknown anchor \(hex) (expected _SM_ or _SM3_)"
        case .truncatedEntryPoint(let anchor, let length, let required):
            return "SMBIOS entry point \(anchor): \(length) bytes, needs \(required)"
        case .badEntryPointChecksum(let anchor):
            return "SMBIOS entry point \(anchor): bad checksum"
        case .missingIntermediateAnchor:
            return "SMBIOS entry point _SM_: no _DMI_ anchor at offset 0x10"
        case .truncatedHeader(let offset, let available):
            return "SMBIOS table: structure header at offset \(hexOffset(offset)) cut off (\(available) of 4 bytes)"
        case .invalidStructureLength(let offset, let type, let length):
            return "SMBIOS table: structure type \(type) at offset \(hexOffset(offset)) has length \(length), below 4"
        case .truncatedFormattedArea(let offset, let type, let length, let available):
            return "SMBIOS table: structure type \(type) at offset \(hexOffset(offset)) has length \(length) "
                + "but only \(available) bytes remain"
        case .unterminatedStringSet(let offset, let type):
            return "SMBIOS table: structure type \(type) at offset \(hexOffset(offset)) has no string-set terminator"
        case .tableOutsideDump(let address, let dumpSize):
            return "SMBIOS dump: table address 0x\(String(address, radix: 16, uppercase: true)) "
                + "is outside the \(dumpSize)-byte dump"
        case .unreadableFile(let path):
            return "SMBIOS: cannot read \(path)"
        }
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return byte < 0x10 ? "0" + digits : digits
}

func hexOffset(_ offset: Int) -> String {
    "0x" + String(offset, radix: 16, uppercase: true)
}
