/// One structure of the table: its header, formatted area and string set.
///
/// Field accessors take offsets from the start of the structure, as the SMBIOS
/// specification lists them, and return nil for a field beyond the structure's length:
/// older firmware writes shorter structures, whose later fields are absent.
public struct SMBIOSStructure: Sendable, Hashable {
    /// The structure type, e.g. 1 for System Information.
    public var type: UInt8
    /// The handle other structures use to refer to this one.
    public var handle: UInt16
    /// The formatted area including the 4-byte header, `length` bytes long.
    public var formatted: [UInt8]
    /// The string set in order; string number n is `strings[n - 1]`.
    public var strings: [String]
    /// Where the structure starts in the table, for error messages.
    public var offset: Int

    /// The length byte: how many bytes the formatted area has.
    public var length: Int { formatted.count }

    public init(type: UInt8, handle: UInt16, formatted: [UInt8], strings: [String], offset: Int = 0) {
        self.type = type
        self.handle = handle
        self.formatted = formatted
        self.strings = strings
        self.offset = offset
    }

    /// The structure, if it is at least `length` bytes long, else nil.
    ///
    /// Fields added by one specification version are read together, as dmidecode does:
    /// a structure cut inside such a group has none of them.
    public func ifLength(atLeast length: Int) -> SMBIOSStructure? {
        formatted.count >= length ? self : nil
    }

    /// The byte at `offset`, or nil if the structure is shorter.
    public func byte(at offset: Int) -> UInt8? {
        integer(at: offset, count: 1).map { UInt8($0) }
    }

    /// The little-endian WORD at `offset`, or nil if the structure is shorter.
    public func word(at offset: Int) -> UInt16? {
        integer(at: offset, count: 2).map { UInt16($0) }
    }

    /// The little-endian DWORD at `offset`, or nil if the structure is shorter.
    public func dword(at offset: Int) -> UInt32? {
        integer(at: offset, count: 4).map { UInt32($0) }
    }

    /// The little-endian QWORD at `offset`, or nil if the structure is shorter.
    public func qword(at offset: Int) -> UInt64? {
        integer(at: offset, count: 8)
    }

    /// `count` raw bytes at `offset`, or nil if the structure is shorter.
    public func bytes(at offset: Int, count: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, count >= 0, offset + count <= formatted.count else { return nil }
        return formatted[offset..<offset + count]
    }

    /// The string whose number is the byte at `offset`, or nil if the structure is shorter.
    public func string(at offset: Int) -> SMBIOSString? {
        byte(at: offset).map { string(number: Int($0)) }
    }

    /// String number `number` of the string set (1-based; 0 means "no string").
    public func string(number: Int) -> SMBIOSString {
        if number == 0 { return .notSpecified }
        guard number <= strings.count else { return .badIndex(number) }
        return .text(strings[number - 1])
    }

    private func integer(at offset: Int, count: Int) -> UInt64? {
        guard offset >= 0, offset + count <= formatted.count else { return nil }
        return littleEndian(formatted, at: offset, count: count)
    }
}
