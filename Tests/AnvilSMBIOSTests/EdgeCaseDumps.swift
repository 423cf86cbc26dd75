/// Hand-made dumps for the cases QEMU never writes; committed as Dumps/NAME.bin.
enum EdgeCaseDumps {
    /// SMBIOS 2.8 (`_SM_`): string edge cases, processor sockets and memory sizes.
    static let smbios28 = DumpBuilder.dump(
        [
            bios, systemWithoutUUID, shortBaseboard, chassisWithSKU,
            manyCoreProcessor, unpopulatedSocket, version20Processor,
            memory(0x1100, size: 0),  // empty slot
            memory(0x1101, size: 0xFFFF),  // unknown size
            memory(0x1102, size: 0x7FFF, extendedSize: 196_608, type: 0x1A, speed: 3200),  // 192 GB
            memory(0x1103, size: 0x8000 | 512, type: 0x07),  // 512 KB
            memory(0x1104, size: 16_384, type: 0x1A, speed: 2666),  // 16 GB DDR4
            memory(0x1105, size: 0x8000 | 3072, type: 0x18),  // 3 MB in KB units
            .endOfTable,
        ], major: 2, minor: 8)

    /// SMBIOS 3.3.0 (`_SM3_`): UUID "not settable", extended memory speed, short memory device.
    static let smbios33 = DumpBuilder.dump(
        [
            systemWithUUID(Array(repeating: 0, count: 16), handle: 0x0100),
            memory(0x1100, size: 32_768, type: 0x22, speed: 0xFFFF, extendedSpeed: 6400, length: 0x5C),
            memory(0x1101, size: 8192, type: 0x1A, speed: 0xFFFF, length: 0x28),  // no Extended Speed field
            shortMemory,
            .endOfTable,
        ], major: 3, minor: 3, docrev: 0)

    /// SMBIOS 2.5: a UUID stored in network byte order (before 2.6).
    static let smbios25 = DumpBuilder.dump(
        [systemWithUUID(Array(0x00...0x0F), handle: 0x0100), .endOfTable], major: 2, minor: 5)

    static let all: [(name: String, bytes: [UInt8])] = [
        ("edge-smbios-2.8", smbios28), ("edge-smbios-3.3", smbios33), ("edge-smbios-2.5", smbios25),
    ]

    /// Trailing spaces, no string (0) and a bad index (7).
    static var bios: StructureBuilder {
        var bios = StructureBuilder(type: 0, handle: 0x0000, length: 0x18, strings: ["Vendor Inc   ", "01/02/2003"])
        bios.set(0x04, byte: 1)
        bios.set(0x05, byte: 0)
        bios.set(0x08, byte: 7)
        bios.set(0x06, word: 0xE800)
        return bios
    }

    /// All-0xFF UUID; a string of only spaces; a string with a control character.
    static var systemWithoutUUID: StructureBuilder {
        var system = systemWithUUID(Array(repeating: 0xFF, count: 16), handle: 0x0100)
        system.strings = ["Acme", "   ", "v\u{1}2", "Fam"]
        system.set(0x04, byte: 1)
        system.set(0x05, byte: 0)
        system.set(0x06, byte: 3)
        system.set(0x07, byte: 2)
        system.set(0x19, byte: 9)
        system.set(0x1A, byte: 4)
        return system
    }

    static func systemWithUUID(_ uuid: [UInt8], handle: UInt16) -> StructureBuilder {
        var system = StructureBuilder(
            type: 1, handle: handle, length: 0x1B, strings: ["Maker", "Model", "1.0", "SER-1", "SKU", "Family"])
        for (offset, number) in zip(0x04...0x07, 1...4) { system.set(offset, byte: UInt8(number)) }
        system.set(0x08, bytes: uuid)
        system.set(0x18, byte: 0x06)
        system.set(0x19, byte: 5)
        system.set(0x1A, byte: 6)
        return system
    }

    /// Length 8: no asset tag (SMBIOS 2.0 boards).
    static var shortBaseboard: StructureBuilder {
        var board = StructureBuilder(type: 2, handle: 0x0200, length: 0x08, strings: ["Board Maker", "B-1"])
        board.set(0x04, byte: 1)
        board.set(0x05, byte: 2)
        return board
    }

    /// Two contained elements of 3 bytes: the SKU string sits at 0x15 + 6.
    static var chassisWithSKU: StructureBuilder {
        var chassis = StructureBuilder(type: 3, handle: 0x0300, length: 0x15 + 6 + 1, strings: ["Case Co", "CSKU"])
        chassis.set(0x04, byte: 1)
        chassis.set(0x05, byte: 0x80 | 0x17)  // locked rack mount chassis
        chassis.set(0x13, byte: 2)
        chassis.set(0x14, byte: 3)
        chassis.set(0x15, bytes: [0x03, 0x01, 0x01, 0x04, 0x01, 0x02])
        chassis.set(0x1B, byte: 2)
        return chassis
    }

    /// Populated; counts 0xFF with Core Count 2 = 300, Core Enabled 2 = 290, Thread Count 2 = 600.
    static var manyCoreProcessor: StructureBuilder {
        var cpu = processor(handle: 0x0400, length: 0x30, status: 0x41)
        cpu.set(0x23, bytes: [0xFF, 0xFF, 0xFF])
        cpu.set(0x2A, word: 300)
        cpu.set(0x2C, word: 290)
        cpu.set(0x2E, word: 600)
        return cpu
    }

    /// Status 0: no processor in the socket.
    static var unpopulatedSocket: StructureBuilder {
        var cpu = processor(handle: 0x0401, length: 0x2A, status: 0x00)
        cpu.set(0x14, word: 0)
        cpu.set(0x16, word: 0)
        return cpu
    }

    /// SMBIOS 2.0 length 0x1A: no serial number, no counts.
    static var version20Processor: StructureBuilder {
        processor(handle: 0x0402, length: 0x1A, status: 0x41)
    }

    static func processor(handle: UInt16, length: Int, status: UInt8) -> StructureBuilder {
        var cpu = StructureBuilder(
            type: 4, handle: handle, length: length, strings: ["CPU \(handle & 0xFF)", "Intel(R) Corporation", "Xeon  ", "PSN", "PAT", "PPN"])
        cpu.set(0x04, byte: 1)
        cpu.set(0x05, byte: 0x03)
        cpu.set(0x06, byte: 0xB3)
        cpu.set(0x07, byte: 2)
        cpu.set(0x10, byte: 3)
        cpu.set(0x14, word: 4000)
        cpu.set(0x16, word: 2100)
        cpu.set(0x18, byte: status)
        if length >= 0x23 { cpu.set(0x20, bytes: [4, 5, 6]) }
        if length >= 0x28 { cpu.set(0x23, bytes: [8, 8, 16]) }
        return cpu
    }

    static func memory(
        _ handle: UInt16, size: UInt16, extendedSize: UInt32 = 0, type: UInt8 = 0x02, speed: UInt16 = 0,
        extendedSpeed: UInt32 = 0, length: Int = 0x28
    ) -> StructureBuilder {
        var device = StructureBuilder(
            type: 17, handle: handle, length: length, strings: ["DIMM \(handle & 0xFF)", "BANK 0", "Samsung", "S-\(handle)", "A-\(handle)", "M393A2K43BB1-CTD  "])
        device.set(0x0C, word: size)
        device.set(0x0E, byte: 0x09)
        device.set(0x10, bytes: [1, 2, type])
        device.set(0x15, word: speed)
        device.set(0x17, bytes: [3, 4, 5, 6])
        device.set(0x1C, dword: extendedSize)
        if length >= 0x58 { device.set(0x54, dword: extendedSpeed) }
        return device
    }

    /// SMBIOS 2.1 length 0x15: no speed and no strings after the bank locator.
    static var shortMemory: StructureBuilder {
        var device = StructureBuilder(type: 17, handle: 0x1102, length: 0x15, strings: ["DIMM B"])
        device.set(0x0C, word: 4096)
        device.set(0x0E, byte: 0x09)
        device.set(0x10, bytes: [1, 0, 0x18])
        return device
    }
}
