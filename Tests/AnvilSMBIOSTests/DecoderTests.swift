import AnvilSMBIOS
import Testing

/// The decoders on the hand-made and QEMU dumps, value by value.
@Suite struct DecoderTests {
    @Test func decodesStringEdgeCases() throws {
        let table = try SMBIOSTable(dump: EdgeCaseDumps.smbios28)
        let bios = try #require(table.bios)
        #expect(bios.vendor == .text("Vendor Inc"))
        #expect(bios.version == .notSpecified)
        #expect(bios.releaseDate == .badIndex(7))
        let system = try #require(table.system)
        #expect(system.manufacturer?.value == "Acme")
        #expect(system.productName == .notSpecified)
        #expect(system.version == .text("v.2"))
        #expect(system.serialNumber == .text(""))
        #expect(system.serialNumber?.value == nil)
        #expect(system.uuid == .notPresent)
        #expect(system.skuNumber == .badIndex(9))
        #expect(system.family?.value == "Fam")
    }

    @Test func decodesShortStructuresWithoutTheirLaterFields() throws {
        let table = try SMBIOSTable(dump: EdgeCaseDumps.smbios28)
        let board = try #require(table.baseboards.first)
        #expect(board.productName?.value == "B-1")
        #expect(board.assetTag == nil)
        let old = try #require(table.processors.first { $0.socketDesignation?.value == "CPU 2" })
        #expect(old.isSocketPopulated)
        #expect(old.serialNumber == nil)
        #expect(old.coreCount == nil)
        let short = try #require(try SMBIOSTable(dump: EdgeCaseDumps.smbios33).memoryDevices.last)
        #expect(short.size == .kilobytes(4096 * 1024))
        #expect(short.speed == nil)
        #expect(short.manufacturer == nil)
        #expect(short.memoryTypeName == "DDR3")
    }

    @Test func decodesChassisSKUAfterContainedElements() throws {
        let chassis = try #require(try SMBIOSTable(dump: EdgeCaseDumps.smbios28).chassis.first)
        #expect(chassis.chassisType == 0x17)
        #expect(chassis.hasLock == true)
        #expect(SMBIOSNames.chassisType(0x97) == "Rack Mount Chassis")
        #expect(chassis.skuNumber?.value == "CSKU")
    }

    @Test func decodesCoreCount2AndSocketStatus() throws {
        let processors = try SMBIOSTable(dump: EdgeCaseDumps.smbios28).processors
        #expect(processors.map(\.isSocketPopulated) == [true, false, true])
        let big = processors[0]
        #expect(big.coreCount == 300)
        #expect(big.coreEnabled == 290)
        #expect(big.threadCount == 600)
        #expect(big.family == 0xB3)
        #expect(big.version?.value == "Xeon")
        #expect(big.maxSpeed == 4000)
        #expect(big.currentSpeed == 2100)
        #expect(processors[1].currentSpeed == nil)
        #expect(processors[1].coreCount == 8)
        #expect(processors[1].threadCount == 16)
    }

    @Test func decodesMemorySizes() throws {
        let sizes = try SMBIOSTable(dump: EdgeCaseDumps.smbios28).memoryDevices.map(\.size)
        let expected: [SMBIOSMemoryDevice.Size?] = [
            .notInstalled, .unknown, .kilobytes(201_326_592), .kilobytes(512), .kilobytes(16_777_216), .kilobytes(3072),
        ]
        #expect(sizes == expected)
        #expect(SMBIOSMemoryDevice.Size(size: 0x7FFF, extendedSize: nil) == .kilobytes(0x7FFF * 1024))
    }

    @Test func decodesMemorySpeedsAndTypes() throws {
        let devices = try SMBIOSTable(dump: EdgeCaseDumps.smbios33).memoryDevices
        #expect(devices[0].speed == 6400)
        #expect(devices[0].memoryTypeName == "DDR5")
        #expect(devices[1].speed == nil)
        #expect(devices[1].memoryTypeName == "DDR4")
        #expect(SMBIOSNames.memoryType(0x07) == "RAM")
        #expect(SMBIOSNames.memoryType(0x01) == "Other")
        #expect(SMBIOSNames.memoryType(0x02) == "Unknown")
        #expect(SMBIOSNames.memoryType(0x00) == nil)
        #expect(SMBIOSNames.memoryType(0x40) == nil)
    }

    @Test func decodesUUIDsByVersion() throws {
        #expect(try SMBIOSTable(dump: EdgeCaseDumps.smbios33).system?.uuid == .notSettable)
        let old = try SMBIOSTable(dump: EdgeCaseDumps.smbios25).system?.uuid
        #expect(old == .value("00010203-0405-0607-0809-0a0b0c0d0e0f"))
        let bytes: [UInt8] = Array(0x00...0x0F)
        #expect(
            SMBIOSUUID(bytes: bytes, version: SMBIOSVersion(major: 2, minor: 6)).value
                == "03020100-0504-0706-0809-0a0b0c0d0e0f")
    }

    @Test func decodesQEMUCustomTables() throws {
        let table = try SMBIOSTable(dump: DumpFiles.bytes("qemu-pc-custom.bin"))
        #expect(table.version == SMBIOSVersion(major: 2, minor: 8))
        #expect(table.bios?.vendor?.value == "AnvilBIOS")
        let system = try #require(table.system)
        #expect(system.uuid?.value == "11111111-2222-3333-4444-555555555555")
        #expect(system.productName?.value == "Node-9")
        #expect(system.wakeUpType.flatMap(SMBIOSNames.wakeUpType) == "Power Switch")
        #expect(table.baseboards.first?.assetTag?.value == "BAT-4")
        #expect(table.chassis.first?.skuNumber?.value == "CSKU-7")
        let cpu = try #require(table.processors.first)
        #expect(cpu.socketDesignation?.value == "Socket 0")
        #expect(cpu.partNumber?.value == "PPN-10")
        let dimm = try #require(table.memoryDevices.first)
        #expect(dimm.bankLocator?.value == "Bank0")
        #expect(dimm.speed == 2666)
        #expect(dimm.size == .kilobytes(512 * 1024))
    }
}
