/// The SMBIOS entry point: where the structure table is, how long it is, and which
/// specification version it follows (`/sys/firmware/dmi/tables/smbios_entry_point`).
public struct SMBIOSEntryPoint: Sendable, Hashable {
    /// The two entry point layouts.
    public enum Kind: Sendable, Hashable {
        /// SMBIOS 2.x: `_SM_` with an intermediate `_DMI_` part, 31 bytes, 32-bit table address.
        case bits32
        /// SMBIOS 3.x: `_SM3_`, 24 bytes, 64-bit table address.
        case bits64
    }

    public var kind: Kind
    public var version: SMBIOSVersion
    /// The table's physical address (a dump made by `dmidecode --dump-bin` says 0x20).
    public var tableAddress: UInt64
    /// 2.x: the table's exact length; 3.x: its maximum length.
    public var tableLength: Int
    /// How many structures the table holds: 2.x only (3.x tables end with type 127).
    public var structureCount: Int?

    public init(kind: Kind, version: SMBIOSVersion, tableAddress: UInt64, tableLength: Int, structureCount: Int?) {
        self.kind = kind
        self.version = version
        self.tableAddress = tableAddress
        self.tableLength = tableLength
        self.structureCount = structureCount
    }

    /// Parses a 2.x or 3.x entry point and checks its checksums.
    ///
    /// Bytes after the entry point's own length are ignored, so the first bytes of a
    /// `dmidecode --dump-bin` file can be passed as they are.
    /// - Throws: `SMBIOSError` naming the anchor and what is wrong.
    public init(bytes: some Collection<UInt8>) throws(SMBIOSError) {
        let bytes = Array(bytes)
        if bytes.starts(with: Array("_SM3_".utf8)) {
            self = try Self.parse64(bytes)
        } else if bytes.starts(with: Array("_SM_".utf8)) {
            self = try Self.parse32(bytes)
        } else {
            throw .unknownEntryPointAnchor(Array(bytes.prefix(5)))
        }
    }

    private static func parse32(_ bytes: [UInt8]) throws(SMBIOSError) -> SMBIOSEntryPoint {
        let anchor = "_SM_"
        // The length byte says 0x1F; SMBIOS 2.1 firmware wrongly said 0x1E, which
        // dmidecode accepts, so it is accepted here too. The _DMI_ part is always 15 bytes.
        guard bytes.count >= 0x1F else {
            throw .truncatedEntryPoint(anchor: anchor, length: bytes.count, required: 0x1F)
        }
        let length = Int(bytes[0x05])
        guard length >= 0x1E, length <= bytes.count else {
            throw .truncatedEntryPoint(anchor: anchor, length: min(length, bytes.count), required: 0x1F)
        }
        guard checksumIsZero(bytes[0..<length]) else { throw .badEntryPointChecksum(anchor: anchor) }
        guard bytes[0x10..<0x15].elementsEqual("_DMI_".utf8) else { throw .missingIntermediateAnchor }
        guard checksumIsZero(bytes[0x10..<0x1F]) else { throw .badEntryPointChecksum(anchor: "_DMI_") }
        return SMBIOSEntryPoint(
            kind: .bits32,
            version: SMBIOSVersion(major: Int(bytes[0x06]), minor: Int(bytes[0x07])),
            tableAddress: UInt64(littleEndian(bytes, at: 0x18, count: 4)),
            tableLength: Int(littleEndian(bytes, at: 0x16, count: 2)),
            structureCount: Int(littleEndian(bytes, at: 0x1C, count: 2))
        )
    }

    private static func parse64(_ bytes: [UInt8]) throws(SMBIOSError) -> SMBIOSEntryPoint {
        let anchor = "_SM3_"
        guard bytes.count >= 0x18 else {
            throw .truncatedEntryPoint(anchor: anchor, length: bytes.count, required: 0x18)
        }
        let length = Int(bytes[0x06])
        guard length >= 0x18, length <= bytes.count else {
            throw .truncatedEntryPoint(anchor: anchor, length: min(length, bytes.count), required: 0x18)
        }
        guard checksumIsZero(bytes[0..<length]) else { throw .badEntryPointChecksum(anchor: anchor) }
        return SMBIOSEntryPoint(
            kind: .bits64,
            version: SMBIOSVersion(major: Int(bytes[0x07]), minor: Int(bytes[0x08]), docrev: Int(bytes[0x09])),
            tableAddress: littleEndian(bytes, at: 0x10, count: 8),
            tableLength: Int(littleEndian(bytes, at: 0x0C, count: 4)),
            structureCount: nil
        )
    }
}

/// True when the bytes sum to zero modulo 256, the rule for every SMBIOS checksum.
func checksumIsZero(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.reduce(UInt8(0), &+) == 0
}

/// A little-endian unsigned integer of `count` bytes; the caller has checked the bounds.
func littleEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in (0..<count).reversed() {
        value = value << 8 | UInt64(bytes[offset + index])
    }
    return value
}
