/// The SMBIOS structure table: every structure up to end-of-table (type 127).
public struct SMBIOSTable: Sendable, Hashable {
    /// The entry point the table was found through, if any.
    public var entryPoint: SMBIOSEntryPoint?
    /// The structures in table order, the end-of-table structure included when present.
    public var structures: [SMBIOSStructure]

    /// The version whose rules decode the structures: the entry point's, else
    /// `SMBIOSVersion.assumedWithoutEntryPoint`.
    public var version: SMBIOSVersion {
        entryPoint?.version ?? .assumedWithoutEntryPoint
    }

    public init(entryPoint: SMBIOSEntryPoint?, structures: [SMBIOSStructure]) {
        self.entryPoint = entryPoint
        self.structures = structures
    }

    /// Walks a structure table (`/sys/firmware/dmi/tables/DMI`).
    ///
    /// Stops at the end-of-table structure, at the end of the data, or after the
    /// 2.x entry point's structure count, whichever comes first.
    /// - Parameters:
    ///   - entryPoint: the table's entry point, or nil when there is none (then the
    ///     version is `SMBIOSVersion.assumedWithoutEntryPoint`).
    ///   - structureData: the table bytes.
    /// - Throws: `SMBIOSError` naming the offset and type of a truncated or malformed structure.
    public init(entryPoint: SMBIOSEntryPoint?, structureData: some Collection<UInt8>) throws(SMBIOSError) {
        self.entryPoint = entryPoint
        let limit = entryPoint?.structureCount.flatMap { $0 > 0 ? $0 : nil } ?? Int.max
        self.structures = try Self.walk(Array(structureData), limit: limit)
    }

    /// Parses a file written by `dmidecode --dump-bin`: the entry point at offset 0,
    /// the table at the address the entry point gives (0x20).
    /// - Throws: `SMBIOSError` for a bad entry point, a table outside the dump, or a bad table.
    public init(dump: some Collection<UInt8>) throws(SMBIOSError) {
        let bytes = Array(dump)
        let entryPoint = try SMBIOSEntryPoint(bytes: bytes)
        guard entryPoint.tableAddress < UInt64(bytes.count) else {
            throw .tableOutsideDump(address: entryPoint.tableAddress, dumpSize: bytes.count)
        }
        let start = Int(entryPoint.tableAddress)
        // 2.x gives the exact length, 3.x a maximum: never read past the dump.
        let end = min(bytes.count, start + entryPoint.tableLength)
        try self.init(entryPoint: entryPoint, structureData: bytes[start..<end])
    }

    /// The structures of one type, in table order.
    public func structures(ofType type: UInt8) -> [SMBIOSStructure] {
        structures.filter { $0.type == type }
    }

    private static let endOfTableType: UInt8 = 127

    private static func walk(_ data: [UInt8], limit: Int) throws(SMBIOSError) -> [SMBIOSStructure] {
        var structures: [SMBIOSStructure] = []
        var offset = 0
        while offset < data.count, structures.count < limit {
            let structure = try readStructure(data, at: offset)
            structures.append(structure.structure)
            if structure.structure.type == endOfTableType { break }
            offset = structure.next
        }
        return structures
    }

    /// Reads the structure at `offset`; returns it and the offset of the next one.
    private static func readStructure(
        _ data: [UInt8], at offset: Int
    ) throws(SMBIOSError) -> (structure: SMBIOSStructure, next: Int) {
        let available = data.count - offset
        guard available >= 4 else { throw .truncatedHeader(offset: offset, available: available) }
        let type = data[offset]
        let length = data[offset + 1]
        guard length >= 4 else { throw .invalidStructureLength(offset: offset, type: type, length: length) }
        guard Int(length) <= available else {
            throw .truncatedFormattedArea(offset: offset, type: type, length: length, available: available)
        }
        let handle = UInt16(littleEndian(data, at: offset + 2, count: 2))
        let stringsStart = offset + Int(length)
        // The string set ends at the first double NUL (two NULs when there are no strings).
        var terminator = stringsStart
        while terminator + 1 < data.count, data[terminator] != 0 || data[terminator + 1] != 0 {
            terminator += 1
        }
        guard terminator + 1 < data.count else { throw .unterminatedStringSet(offset: offset, type: type) }
        // A set starting with NUL has no strings, whatever follows (dmidecode reads it so).
        let strings: [String] =
            data[stringsStart] == 0
            ? []
            : data[stringsStart..<terminator].split(separator: 0, omittingEmptySubsequences: false)
                .map { SMBIOSString.decode($0) }
        let structure = SMBIOSStructure(
            type: type, handle: handle, formatted: Array(data[offset..<stringsStart]), strings: strings,
            offset: offset)
        return (structure, terminator + 2)
    }
}
