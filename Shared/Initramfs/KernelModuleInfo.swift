/// The `.modinfo` section of a kernel module (an ELF relocatable file): `key=value` strings, among
/// them `name=` and `depends=a,b`. Debian's kernel packages ship no `modules.dep` (depmod makes it
/// at install time), so the dependencies are read from the modules themselves.
public struct KernelModuleInfo: Sendable, Equatable {
    /// Every `key=value` pair in section order (keys such as `alias` repeat).
    public let fields: [(key: String, value: String)]

    public init(fields: [(key: String, value: String)]) {
        self.fields = fields
    }

    public static func == (left: KernelModuleInfo, right: KernelModuleInfo) -> Bool {
        left.fields.elementsEqual(right.fields) { $0.key == $1.key && $0.value == $1.value }
    }

    /// The module's own name (`name=`), normalized.
    public var name: String? { fields.first { $0.key == "name" }.map { ModuleName.normalized($0.value) } }

    /// The modules it needs loaded first (`depends=`), normalized.
    public var dependencies: [String] {
        fields.filter { $0.key == "depends" }
            .flatMap { $0.value.split(separator: ",") }
            .map { ModuleName.normalized($0.trimmed(of: " ")) }
            .filter { !$0.isEmpty }
    }

    /// Reads `.modinfo` from an uncompressed ELF64 little-endian module (amd64, arm64).
    public static func parse(elf bytes: [UInt8]) throws -> KernelModuleInfo {
        let reader = ELFReader(bytes: bytes)
        guard bytes.count >= 64, bytes[0..<4] == [0x7F, 0x45, 0x4C, 0x46] else { throw KernelModuleInfoError.notELF }
        guard bytes[4] == 2, bytes[5] == 1 else { throw KernelModuleInfoError.unsupportedELF("only 64-bit little-endian modules are supported") }
        let sectionTable = try reader.integer(at: 0x28, size: 8)
        let entrySize = try reader.integer(at: 0x3A, size: 2)
        let count = try reader.integer(at: 0x3C, size: 2)
        let namesIndex = try reader.integer(at: 0x3E, size: 2)
        guard entrySize >= 64, namesIndex < count else { throw KernelModuleInfoError.unsupportedELF("bad section header table") }
        func section(_ index: Int) throws -> (name: Int, offset: Int, size: Int) {
            let base = sectionTable + index * entrySize
            return (try reader.integer(at: base, size: 4), try reader.integer(at: base + 24, size: 8), try reader.integer(at: base + 32, size: 8))
        }
        let names = try section(namesIndex)
        for index in 0..<count {
            let candidate = try section(index)
            guard try reader.string(at: names.offset + candidate.name, limit: names.offset + names.size) == ".modinfo" else { continue }
            guard candidate.offset >= 0, candidate.size >= 0, candidate.offset + candidate.size <= bytes.count else {
                throw KernelModuleInfoError.unsupportedELF(".modinfo lies outside the file")
            }
            let fields = bytes[candidate.offset..<(candidate.offset + candidate.size)]
                .split(separator: 0)
                .compactMap { field -> (key: String, value: String)? in
                    let text = String(decoding: field, as: UTF8.self)
                    guard let equals = text.firstIndex(of: "=") else { return nil }
                    return (String(text[..<equals]), String(text[text.index(after: equals)...]))
                }
            return KernelModuleInfo(fields: fields)
        }
        throw KernelModuleInfoError.noModinfo
    }
}

/// Why a module's `.modinfo` cannot be read.
public enum KernelModuleInfoError: Error, Equatable, CustomStringConvertible {
    case notELF
    case unsupportedELF(String)
    case truncated
    case noModinfo

    public var description: String {
        switch self {
        case .notELF: "not an ELF file (a compressed module must be decompressed first)"
        case .unsupportedELF(let reason): "unsupported ELF file: \(reason)"
        case .truncated: "the ELF file is truncated"
        case .noModinfo: "the ELF file has no .modinfo section (not a kernel module?)"
        }
    }
}

/// Bounds-checked little-endian reads.
private struct ELFReader {
    let bytes: [UInt8]

    func integer(at offset: Int, size: Int) throws -> Int {
        guard offset >= 0, size <= 8, offset + size <= bytes.count else { throw KernelModuleInfoError.truncated }
        var value: UInt64 = 0
        for index in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        guard let result = Int(exactly: value) else { throw KernelModuleInfoError.truncated }
        return result
    }

    func string(at offset: Int, limit: Int) throws -> String {
        guard offset >= 0, offset < min(limit, bytes.count) else { throw KernelModuleInfoError.truncated }
        let end = bytes[offset..<min(limit, bytes.count)].firstIndex(of: 0) ?? min(limit, bytes.count)
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }
}
