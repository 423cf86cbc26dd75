#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SMBIOSTable {
    /// The directory where Linux exposes the firmware tables.
    public static let sysfsDirectory = "/sys/firmware/dmi/tables"

    /// Reads `smbios_entry_point` and `DMI` from a directory laid out like
    /// `/sys/firmware/dmi/tables` (tests pass a fixture directory).
    ///
    /// A missing or empty `smbios_entry_point` is accepted: the table is then read
    /// without one (see `SMBIOSVersion.assumedWithoutEntryPoint`).
    /// - Throws: `SMBIOSError.unreadableFile` when `DMI` cannot be read, or the
    ///   entry point's or table's parse error.
    public static func read(directory: String = sysfsDirectory) throws(SMBIOSError) -> SMBIOSTable {
        let entryPointBytes = readFile(directory + "/smbios_entry_point") ?? []
        let entryPoint = entryPointBytes.isEmpty ? nil : try SMBIOSEntryPoint(bytes: entryPointBytes)
        guard let table = readFile(directory + "/DMI") else { throw .unreadableFile(path: directory + "/DMI") }
        return try SMBIOSTable(entryPoint: entryPoint, structureData: table)
    }

    /// The whole file, read to its end (sysfs files report no useful size), or nil.
    private static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            contents.append(contentsOf: buffer[0..<count])
            if count < buffer.count { break }
        }
        return ferror(file) == 0 ? contents : nil
    }
}
