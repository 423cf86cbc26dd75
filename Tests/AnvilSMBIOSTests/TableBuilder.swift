/// Builds SMBIOS structures, tables, entry points and `dmidecode --dump-bin` files for tests.
struct StructureBuilder {
    var type: UInt8
    var handle: UInt16
    /// The formatted area after the 4-byte header, at offsets 0x04…
    var body: [UInt8]
    var strings: [String]

    init(type: UInt8, handle: UInt16, length: Int, strings: [String] = []) {
        self.type = type
        self.handle = handle
        self.body = [UInt8](repeating: 0, count: max(0, length - 4))
        self.strings = strings
    }

    /// Sets the byte at a structure offset (0x04 and up).
    mutating func set(_ offset: Int, byte: UInt8) {
        body[offset - 4] = byte
    }

    /// Sets a little-endian integer at a structure offset.
    mutating func set(_ offset: Int, word: UInt16) {
        set(offset, byte: UInt8(word & 0xFF))
        set(offset + 1, byte: UInt8(word >> 8))
    }

    mutating func set(_ offset: Int, dword: UInt32) {
        set(offset, word: UInt16(dword & 0xFFFF))
        set(offset + 2, word: UInt16(dword >> 16))
    }

    mutating func set(_ offset: Int, bytes: [UInt8]) {
        for (index, byte) in bytes.enumerated() { set(offset + index, byte: byte) }
    }

    /// Header, formatted area, strings and the double-NUL terminator.
    var bytes: [UInt8] {
        var out: [UInt8] = [type, UInt8(body.count + 4), UInt8(handle & 0xFF), UInt8(handle >> 8)] + body
        if strings.isEmpty {
            out += [0, 0]
        } else {
            for string in strings { out += Array(string.utf8) + [0] }
            out.append(0)
        }
        return out
    }

    static let endOfTable = StructureBuilder(type: 127, handle: 0xFEFF, length: 4)
}

enum EntryPointBuilder {
    /// A 31-byte SMBIOS 2.x entry point with correct checksums.
    static func bits32(major: UInt8, minor: UInt8, tableLength: Int, tableAddress: UInt32, count: Int) -> [UInt8] {
        var bytes = Array("_SM_".utf8) + [0, 0x1F, major, minor, 0, 0, 0, 0, 0, 0, 0, 0]
        bytes += Array("_DMI_".utf8) + [0]
        bytes += le(UInt64(tableLength), 2) + le(UInt64(tableAddress), 4) + le(UInt64(count), 2)
        bytes.append(major << 4 | minor)
        bytes[0x15] = checksum(bytes[0x10..<0x1F])
        bytes[0x04] = checksum(bytes[0..<0x1F])
        return bytes
    }

    /// A 24-byte SMBIOS 3.x entry point with a correct checksum.
    static func bits64(major: UInt8, minor: UInt8, docrev: UInt8, tableLength: Int, tableAddress: UInt64) -> [UInt8] {
        var bytes = Array("_SM3_".utf8) + [0, 0x18, major, minor, docrev, 1, 0]
        bytes += le(UInt64(tableLength), 4) + le(tableAddress, 8)
        bytes[0x05] = checksum(bytes[0..<0x18])
        return bytes
    }

    private static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        0 &- bytes.reduce(UInt8(0), &+)
    }

    private static func le(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}

enum DumpBuilder {
    /// A `dmidecode --dump-bin` file: the entry point at 0, the table at 0x20.
    static func dump(_ structures: [StructureBuilder], major: UInt8, minor: UInt8, docrev: UInt8 = 0) -> [UInt8] {
        let table = structures.flatMap(\.bytes)
        let entryPoint =
            major >= 3
            ? EntryPointBuilder.bits64(
                major: major, minor: minor, docrev: docrev, tableLength: table.count, tableAddress: 0x20)
            : EntryPointBuilder.bits32(
                major: major, minor: minor, tableLength: table.count, tableAddress: 0x20, count: structures.count)
        return entryPoint + [UInt8](repeating: 0, count: 0x20 - entryPoint.count) + table
    }
}
