import AnvilSMBIOS
import Foundation
import Testing

/// Reading the sysfs-style directory QEMU's guest kernel exposed.
@Suite struct ReaderTests {
    @Test(arguments: DumpFiles.qemuDumps)
    func readsASysfsDirectoryLikeTheDump(dump: String) throws {
        let fromDirectory = try SMBIOSTable.read(directory: DumpFiles.url(dump + "-sysfs").path)
        let fromDump = try SMBIOSTable(dump: DumpFiles.bytes(dump + ".bin"))
        #expect(fromDirectory.structures == fromDump.structures)
        #expect(fromDirectory.version == fromDump.version)
        #expect(fromDirectory.entryPoint?.tableAddress != 0x20)
    }

    @Test func readsATableWithoutAnEntryPoint() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smbios-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(DumpFiles.bytes("qemu-pc-custom-sysfs/DMI")).write(to: directory.appendingPathComponent("DMI"))
        let table = try SMBIOSTable.read(directory: directory.path)
        #expect(table.entryPoint == nil)
        #expect(table.version == .assumedWithoutEntryPoint)
        #expect(table.system?.uuid?.value == "11111111-2222-3333-4444-555555555555")
    }

    @Test func namesAMissingTable() {
        #expect(throws: SMBIOSError.unreadableFile(path: "/nonexistent-smbios/DMI")) {
            try SMBIOSTable.read(directory: "/nonexistent-smbios")
        }
    }
}
