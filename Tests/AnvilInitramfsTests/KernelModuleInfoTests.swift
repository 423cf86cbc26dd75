import Testing
@testable import AnvilInitramfs

@Suite struct KernelModuleInfoTests {
    /// A minimal ELF64 little-endian relocatable file: null section, .modinfo, .shstrtab.
    static func elf(modinfo: [String]) -> [UInt8] {
        let info: [UInt8] = modinfo.flatMap { (field: String) -> [UInt8] in Array(field.utf8) + [0] }
        let names: [UInt8] = [0] + Array(".modinfo".utf8) + [0] + Array(".shstrtab".utf8) + [0]
        let infoOffset = 64
        let namesOffset = infoOffset + info.count
        let tableOffset = (namesOffset + names.count + 7) & ~7
        func le(_ value: Int, _ size: Int) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        var header: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        // e_type, e_machine, e_version, e_entry, e_phoff, e_shoff
        header += le(1, 2) + le(62, 2) + le(1, 4) + le(0, 8) + le(0, 8) + le(tableOffset, 8)
        // e_flags, e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx
        header += le(0, 4) + le(64, 2) + le(0, 2) + le(0, 2) + le(64, 2) + le(3, 2) + le(2, 2)
        func section(name: Int, type: Int, offset: Int, size: Int) -> [UInt8] {
            let identity: [UInt8] = le(name, 4) + le(type, 4) + le(0, 8) + le(0, 8)
            let place: [UInt8] = le(offset, 8) + le(size, 8)
            let rest: [UInt8] = le(0, 4) + le(0, 4) + le(1, 8) + le(0, 8)
            return identity + place + rest
        }
        var bytes = header + info + names
        bytes += [UInt8](repeating: 0, count: tableOffset - bytes.count)
        bytes += [UInt8](repeating: 0, count: 64)
        bytes += section(name: 1, type: 1, offset: infoOffset, size: info.count)
        bytes += section(name: 10, type: 3, offset: namesOffset, size: names.count)
        return bytes
    }

    @Test func readsNameAndDependencies() throws {
        let info = try KernelModuleInfo.parse(elf: Self.elf(modinfo: [
            "license=GPL", "alias=virtio:d00000001v*", "depends=virtio_ring,virtio,net-failover", "name=virtio_net", "vermagic=6.1.0 SMP",
        ]))
        #expect(info.name == "virtio_net")
        #expect(info.dependencies == ["virtio_ring", "virtio", "net_failover"])
        #expect(info.fields.count == 5)
    }

    @Test func emptyDependsMeansNone() throws {
        let info = try KernelModuleInfo.parse(elf: Self.elf(modinfo: ["depends=", "name=failover"]))
        #expect(info.dependencies.isEmpty)
    }

    @Test func rejectsWhatIsNotAModule() {
        #expect(throws: KernelModuleInfoError.notELF) { try KernelModuleInfo.parse(elf: Array("dummy module".utf8)) }
        // An xz-compressed module must be decompressed first.
        #expect(throws: KernelModuleInfoError.notELF) { try KernelModuleInfo.parse(elf: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] + [UInt8](repeating: 0, count: 80)) }
        #expect(throws: KernelModuleInfoError.truncated) { try KernelModuleInfo.parse(elf: Array(Self.elf(modinfo: ["name=x"]).prefix(100))) }
    }
}
