import AnvilSMBIOS
import Testing

@Suite struct TableWalkTests {
    @Test func readsHeadersFormattedAreasAndStrings() throws {
        var first = StructureBuilder(type: 0x80, handle: 0x1234, length: 6, strings: ["one", "two"])
        first.set(0x04, word: 0xBEEF)
        let second = StructureBuilder(type: 0x81, handle: 0x0002, length: 4)
        let table = try SMBIOSTable(
            entryPoint: nil, structureData: first.bytes + second.bytes + StructureBuilder.endOfTable.bytes)
        #expect(table.structures.map(\.type) == [0x80, 0x81, 127])
        let structure = table.structures[0]
        #expect(structure.handle == 0x1234)
        #expect(structure.length == 6)
        #expect(structure.word(at: 0x04) == 0xBEEF)
        #expect(structure.dword(at: 0x04) == nil)
        #expect(structure.strings == ["one", "two"])
        #expect(structure.string(number: 0) == .notSpecified)
        #expect(structure.string(number: 2) == .text("two"))
        #expect(structure.string(number: 3) == .badIndex(3))
        #expect(table.structures[1].strings.isEmpty)
        #expect(table.structures[1].offset == first.bytes.count)
        #expect(table.version == SMBIOSVersion(major: 3, minor: 0))
    }

    @Test func stopsAtEndOfTable() throws {
        let after = StructureBuilder(type: 1, handle: 9, length: 4)
        let table = try SMBIOSTable(
            entryPoint: nil, structureData: StructureBuilder.endOfTable.bytes + after.bytes + [0xFF, 0xFF])
        #expect(table.structures.map(\.type) == [127])
    }

    @Test func stopsAtTheEndOfTheData() throws {
        let structures = [StructureBuilder(type: 1, handle: 1, length: 8), StructureBuilder(type: 2, handle: 2, length: 8)]
        let table = try SMBIOSTable(entryPoint: nil, structureData: structures.flatMap(\.bytes))
        #expect(table.structures.map(\.handle) == [1, 2])
    }

    @Test func stopsAfterThe2xStructureCount() throws {
        let structures = (1...3).map { StructureBuilder(type: 0x80, handle: UInt16($0), length: 4) }
        let data = structures.flatMap(\.bytes)
        let entryPoint = try SMBIOSEntryPoint(
            bytes: EntryPointBuilder.bits32(major: 2, minor: 8, tableLength: data.count, tableAddress: 0, count: 2))
        #expect(try SMBIOSTable(entryPoint: entryPoint, structureData: data).structures.count == 2)
    }

    @Test func trimsTrailingSpacesAndFiltersControlCharacters() throws {
        let structure = StructureBuilder(type: 0x80, handle: 1, length: 5, strings: ["Acme  ", "   ", "a\u{7F}b\tc", "é"])
        let table = try SMBIOSTable(entryPoint: nil, structureData: structure.bytes)
        #expect(table.structures[0].strings == ["Acme", "", "a.b.c", "é"])
        #expect(table.structures[0].string(number: 2).value == nil)
        #expect(table.structures[0].string(number: 1).value == "Acme")
    }

    @Test func rejectsATruncatedFormattedArea() {
        let bytes = StructureBuilder(type: 4, handle: 1, length: 0x30).bytes
        #expect(throws: SMBIOSError.truncatedFormattedArea(offset: 6, type: 4, length: 0x30, available: 20)) {
            try SMBIOSTable(entryPoint: nil, structureData: StructureBuilder(type: 0x80, handle: 0, length: 4).bytes + bytes.prefix(20))
        }
    }

    @Test func rejectsAnUnterminatedStringSet() {
        let bytes = StructureBuilder(type: 1, handle: 1, length: 8, strings: ["abc"]).bytes
        let error = #expect(throws: SMBIOSError.unterminatedStringSet(offset: 0, type: 1)) {
            try SMBIOSTable(entryPoint: nil, structureData: bytes.dropLast(2))
        }
        #expect(error?.description == "SMBIOS table: structure type 1 at offset 0x0 has no string-set terminator")
    }

    @Test func rejectsATruncatedHeader() {
        #expect(throws: SMBIOSError.truncatedHeader(offset: 6, available: 2)) {
            try SMBIOSTable(entryPoint: nil, structureData: StructureBuilder(type: 0x80, handle: 0, length: 4).bytes + [1, 0x1B])
        }
    }

    @Test func rejectsALengthBelowTheHeader() {
        #expect(throws: SMBIOSError.invalidStructureLength(offset: 0, type: 17, length: 2)) {
            try SMBIOSTable(entryPoint: nil, structureData: [17, 2, 0, 0, 0, 0])
        }
    }

    @Test func rejectsADumpWhoseTableIsOutside() {
        var dump = DumpBuilder.dump([.endOfTable], major: 3, minor: 0)
        dump.removeLast(dump.count - 0x20)
        #expect(throws: SMBIOSError.tableOutsideDump(address: 0x20, dumpSize: 0x20)) { try SMBIOSTable(dump: dump) }
    }

    @Test func rejectsADumpWithABadChecksum() {
        var dump = EdgeCaseDumps.smbios28
        dump[0x06] = 3  // the version byte, without fixing the checksum
        #expect(throws: SMBIOSError.badEntryPointChecksum(anchor: "_SM_")) { try SMBIOSTable(dump: dump) }
    }
}
