import AnvilSMBIOS
import Testing

@Suite struct EntryPointTests {
    @Test func parsesA32BitEntryPoint() throws {
        let bytes = EntryPointBuilder.bits32(major: 2, minor: 8, tableLength: 454, tableAddress: 0x000F_59D0, count: 10)
        let entryPoint = try SMBIOSEntryPoint(bytes: bytes)
        #expect(entryPoint.kind == .bits32)
        #expect(entryPoint.version == SMBIOSVersion(major: 2, minor: 8))
        #expect(entryPoint.version.description == "2.8")
        #expect(entryPoint.tableAddress == 0x000F_59D0)
        #expect(entryPoint.tableLength == 454)
        #expect(entryPoint.structureCount == 10)
    }

    @Test func parsesA64BitEntryPoint() throws {
        let bytes = EntryPointBuilder.bits64(
            major: 3, minor: 3, docrev: 1, tableLength: 0x1E6, tableAddress: 0x1_2345_6789)
        let entryPoint = try SMBIOSEntryPoint(bytes: bytes)
        #expect(entryPoint.kind == .bits64)
        #expect(entryPoint.version == SMBIOSVersion(major: 3, minor: 3, docrev: 1))
        #expect(entryPoint.version.description == "3.3.1")
        #expect(entryPoint.tableAddress == 0x1_2345_6789)
        #expect(entryPoint.tableLength == 0x1E6)
        #expect(entryPoint.structureCount == nil)
    }

    @Test func parsesQEMUSysfsEntryPoints() throws {
        let pc = try SMBIOSEntryPoint(bytes: DumpFiles.bytes("qemu-pc-custom-sysfs/smbios_entry_point"))
        #expect(pc.kind == .bits32)
        #expect(pc.version == SMBIOSVersion(major: 2, minor: 8))
        let q35 = try SMBIOSEntryPoint(bytes: DumpFiles.bytes("qemu-q35-default-sysfs/smbios_entry_point"))
        #expect(q35.kind == .bits64)
        #expect(q35.version == SMBIOSVersion(major: 3, minor: 0, docrev: 0))
    }

    @Test func rejectsABadChecksum() {
        var bytes = EntryPointBuilder.bits64(major: 3, minor: 0, docrev: 0, tableLength: 100, tableAddress: 0x20)
        bytes[0x10] &+= 1
        #expect(throws: SMBIOSError.badEntryPointChecksum(anchor: "_SM3_")) { try SMBIOSEntryPoint(bytes: bytes) }
    }

    @Test func rejectsABadIntermediateChecksum() {
        var bytes = EntryPointBuilder.bits32(major: 2, minor: 8, tableLength: 100, tableAddress: 0x20, count: 3)
        // Keep the whole entry point's sum at zero: only the _DMI_ part's sum breaks.
        bytes[0x16] &+= 1
        bytes[0x0B] &-= 1
        #expect(throws: SMBIOSError.badEntryPointChecksum(anchor: "_DMI_")) { try SMBIOSEntryPoint(bytes: bytes) }
    }

    @Test func rejectsATruncatedEntryPoint() {
        let bytes = EntryPointBuilder.bits32(major: 2, minor: 8, tableLength: 100, tableAddress: 0x20, count: 3)
        #expect(throws: SMBIOSError.truncatedEntryPoint(anchor: "_SM_", length: 20, required: 0x1F)) {
            try SMBIOSEntryPoint(bytes: bytes.prefix(20))
        }
    }

    @Test func rejectsAnUnknownAnchor() {
        let error = #expect(throws: SMBIOSError.self) { try SMBIOSEntryPoint(bytes: Array("_XY_ and more".utf8)) }
        #expect(error?.description.contains("unknown anchor 5F 58 59 5F 20") == true)
    }

    @Test func ordersVersions() {
        #expect(SMBIOSVersion(major: 2, minor: 6) < SMBIOSVersion(major: 2, minor: 8))
        #expect(SMBIOSVersion(major: 2, minor: 8) < SMBIOSVersion(major: 3, minor: 0))
        #expect(SMBIOSVersion.assumedWithoutEntryPoint == SMBIOSVersion(major: 3, minor: 0))
    }
}
