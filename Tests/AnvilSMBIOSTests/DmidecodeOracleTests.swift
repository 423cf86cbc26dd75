import AnvilSMBIOS
import Foundation
import Testing

/// Every committed dump, parsed by us and by `dmidecode --from-dump` (run live), must agree.
@Suite struct DmidecodeOracleTests {
    static let dumps = DumpFiles.qemuDumps + EdgeCaseDumps.all.map(\.name)

    @Test(arguments: dumps)
    func fieldsMatchDmidecode(dump: String) async throws {
        let file = try DumpFiles.url(dump + ".bin")
        let table = try SMBIOSTable(dump: DumpFiles.bytes(dump + ".bin"))
        guard let output = try await Dmidecode.output(fromDump: file) else { return }
        #expect(output.contains("SMBIOS \(table.version) present."), "\(dump): version \(table.version)")
        DmidecodeComparison.expectMatches(table, Dmidecode.records(output), dump: dump)
    }

    /// The committed edge-case dumps are what `EdgeCaseDumps` builds. With
    /// ANVIL_WRITE_SMBIOS_DUMPS=1 the test writes them (and dmidecode's text) into the source tree.
    @Test(arguments: EdgeCaseDumps.all.map(\.name))
    func committedEdgeCaseDumpIsBuilt(dump: String) async throws {
        let built = try #require(EdgeCaseDumps.all.first { $0.name == dump }).bytes
        if ProcessInfo.processInfo.environment["ANVIL_WRITE_SMBIOS_DUMPS"] == "1" {
            let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Dumps")
            let file = folder.appendingPathComponent(dump + ".bin")
            try Data(built).write(to: file)
            if let output = try await Dmidecode.output(fromDump: file) {
                let relative = output.replacingOccurrences(of: file.path, with: dump + ".bin")
                try Data(relative.utf8).write(to: folder.appendingPathComponent(dump + ".dmidecode.txt"))
            }
            return
        }
        #expect(try DumpFiles.bytes(dump + ".bin") == built, "Dumps/\(dump).bin differs from EdgeCaseDumps")
    }
}
