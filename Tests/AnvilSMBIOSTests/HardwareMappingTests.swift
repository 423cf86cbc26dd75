import AnvilResources
@testable import AnvilSMBIOS
import Testing

/// The Sidero v0.6 mapping from SMBIOS to Anvil's hardware information.
@Suite struct HardwareMappingTests {
    @Test func mapsQEMUCustomTables() throws {
        let hardware = SMBIOSHardware(table: try SMBIOSTable(dump: DumpFiles.bytes("qemu-pc-custom.bin")))
        #expect(
            hardware.system
                == SystemInformation(
                    uuid: "11111111-2222-3333-4444-555555555555", manufacturer: "Acme", productName: "Node-9",
                    version: "1.2", serialNumber: "SN-42", skuNumber: "SKU-7", family: "Fam"))
        #expect(
            hardware.compute
                == ComputeInformation(
                    totalCoreCount: 2, totalThreadCount: 2, processorCount: 1,
                    processors: [
                        Processor(
                            manufacturer: "ChipCo", productName: "Chip-X", serialNumber: "PSN-8", speed: 2400,
                            coreCount: 2, threadCount: 2)
                    ]))
        #expect(
            hardware.memory
                == MemoryInformation(
                    totalSize: "0 GB", moduleCount: 1,
                    modules: [
                        MemoryModule(
                            manufacturer: "RamCo", productName: "MPN-13", serialNumber: "MSN-11", type: "RAM",
                            size: 512, speed: 2666)
                    ]))
        #expect(hardware.hardwareInformation.storage == nil)
    }

    @Test func mapsQEMUDefaultTables() throws {
        let hardware = SMBIOSHardware(table: try SMBIOSTable(dump: DumpFiles.bytes("qemu-q35-default.bin")))
        #expect(hardware.system?.uuid == nil)
        #expect(hardware.system?.manufacturer == "QEMU")
        #expect(hardware.system?.serialNumber == nil)
        #expect(hardware.compute?.processorCount == 2)
        #expect(hardware.compute?.totalCoreCount == 4)
        #expect(hardware.compute?.totalThreadCount == 4)
        #expect(hardware.memory?.totalSize == "3 GB")
        #expect(hardware.memory?.modules?.first?.size == 3072)
        #expect(hardware.memory?.modules?.first?.speed == nil)
    }

    @Test func countsOnlyPopulatedSocketsAndSumsKnownCounts() throws {
        let compute = try #require(SMBIOSHardware(table: try SMBIOSTable(dump: EdgeCaseDumps.smbios28)).compute)
        #expect(compute.processorCount == 2)
        #expect(compute.totalCoreCount == 300)
        #expect(compute.totalThreadCount == 600)
        #expect(compute.processors?.map(\.coreCount) == [300, nil])
        #expect(compute.processors?.first?.productName == "Xeon")
        #expect(compute.processors?.first?.manufacturer == "Intel(R) Corporation")
    }

    @Test func skipsEmptyAndUnknownSlotsAndFormatsTheTotal() throws {
        let memory = try #require(SMBIOSHardware(table: try SMBIOSTable(dump: EdgeCaseDumps.smbios28)).memory)
        // 192 GB extended + 512 KB (at least 1 MB) + 16 GB + 3 MB = 212996 MB; 212996 / 1024 = 208.
        #expect(memory.moduleCount == 4)
        #expect(memory.modules?.map(\.size) == [196_608, 1, 16_384, 3])
        #expect(memory.totalSize == "208 GB")
        #expect(memory.modules?.map(\.type) == ["DDR4", "RAM", "DDR4", "DDR3"])
        #expect(memory.modules?.first?.productName == "M393A2K43BB1-CTD")
        #expect(memory.modules?.first?.speed == 3200)
    }

    @Test func leavesOutWhatTheTableLacks() throws {
        let hardware = SMBIOSHardware(table: try SMBIOSTable(dump: EdgeCaseDumps.smbios25))
        #expect(hardware.system?.uuid == "00010203-0405-0607-0809-0a0b0c0d0e0f")
        #expect(hardware.compute == nil)
        #expect(hardware.memory == nil)
    }

    @Test func roundsKilobytesDownToAtLeastOneMegabyte() {
        #expect(SMBIOSHardware.megabytes(512) == 1)
        #expect(SMBIOSHardware.megabytes(3 * 1024 + 1023) == 3)
    }
}
