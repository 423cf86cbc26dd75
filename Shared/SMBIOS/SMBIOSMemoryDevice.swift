/// Memory Device (type 17).
public struct SMBIOSMemoryDevice: Sendable, Hashable {
    public static let type: UInt8 = 17

    /// What the Size field (offset 0x0C) says.
    public enum Size: Sendable, Hashable {
        /// 0: the slot is empty.
        case notInstalled
        /// 0xFFFF: the size is unknown.
        case unknown
        /// The size in KB, from the Size field (MB or, with bit 15 set, KB) or, when
        /// it says 0x7FFF, from Extended Size (offset 0x1C, MB).
        case kilobytes(UInt64)

        /// Decodes the Size field and, when present, the Extended Size field.
        public init(size: UInt16, extendedSize: UInt32?) {
            switch size {
            case 0: self = .notInstalled
            case 0xFFFF: self = .unknown
            // dmidecode reads 0x7FFF as 32767 MB when Extended Size is absent (length < 0x20).
            case 0x7FFF where extendedSize != nil:
                self = .kilobytes(UInt64((extendedSize ?? 0) & 0x7FFF_FFFF) * 1024)
            default:
                let value = UInt64(size & 0x7FFF)
                self = .kilobytes(size & 0x8000 != 0 ? value : value * 1024)
            }
        }
    }

    public var size: Size?
    /// The form factor code; see `SMBIOSNames.memoryFormFactor`.
    public var formFactor: UInt8?
    public var deviceLocator: SMBIOSString?
    public var bankLocator: SMBIOSString?
    /// The memory type code; see `SMBIOSNames.memoryType`.
    public var memoryType: UInt8?
    /// MT/s (2.3+); Extended Speed (offset 0x54, 3.3+) when the field says 0xFFFF.
    /// nil when absent or unknown (0).
    public var speed: Int?
    public var manufacturer: SMBIOSString?
    public var serialNumber: SMBIOSString?
    public var assetTag: SMBIOSString?
    public var partNumber: SMBIOSString?

    /// The memory type as dmidecode names it ("DDR4", "RAM", …), nil when absent or out of spec.
    public var memoryTypeName: String? {
        memoryType.flatMap(SMBIOSNames.memoryType)
    }

    /// Decodes a type 17 structure; nil for any other type.
    public init?(_ structure: SMBIOSStructure) {
        guard structure.type == Self.type else { return nil }
        size = structure.word(at: 0x0C).map { Size(size: $0, extendedSize: structure.dword(at: 0x1C)) }
        formFactor = structure.byte(at: 0x0E)
        deviceLocator = structure.string(at: 0x10)
        bankLocator = structure.string(at: 0x11)
        memoryType = structure.byte(at: 0x12)
        speed = Self.speed(structure.word(at: 0x15), extended: structure.dword(at: 0x54))
        // Version 2.3 added these four strings together (length 0x1B).
        let version23 = structure.ifLength(atLeast: 0x1B)
        manufacturer = version23?.string(at: 0x17)
        serialNumber = version23?.string(at: 0x18)
        assetTag = version23?.string(at: 0x19)
        partNumber = version23?.string(at: 0x1A)
    }

    private static func speed(_ speed: UInt16?, extended: UInt32?) -> Int? {
        guard let speed else { return nil }
        let value = speed == 0xFFFF ? Int(extended ?? 0) : Int(speed)
        return value == 0 ? nil : value
    }
}
