import AnvilResources

/// What the discovery agent reports from SMBIOS, mapped as Sidero v0.6's agent did.
public struct SMBIOSHardware: Sendable, Hashable {
    /// From System Information (type 1); nil when the table has none.
    public var system: SystemInformation?
    /// From Processor Information (type 4); nil when the table has none.
    public var compute: ComputeInformation?
    /// From Memory Device (type 17); nil when the table has none.
    public var memory: MemoryInformation?

    /// Maps a table.
    ///
    /// - Strings that are absent, "Not Specified", a bad index or only spaces become nil.
    /// - Processors: only populated sockets (status bit 6) count; unknown core and thread
    ///   counts add nothing to the totals.
    /// - Memory: empty slots (size 0) and unknown sizes (0xFFFF) are skipped; sizes are
    ///   MB, KB sizes rounded down but at least 1 MB (0 would read as an empty slot);
    ///   `totalSize` is "\(total MB / 1024) GB" with integer division, Sidero's format.
    public init(table: SMBIOSTable) {
        system = table.system.map(Self.systemInformation)
        let processors = table.processors
        compute = processors.isEmpty ? nil : Self.computeInformation(processors)
        let devices = table.memoryDevices
        memory = devices.isEmpty ? nil : Self.memoryInformation(devices)
    }

    /// The three parts as Anvil's `HardwareInformation` (storage and network stay nil).
    public var hardwareInformation: HardwareInformation {
        HardwareInformation(system: system, compute: compute, memory: memory)
    }

    static func systemInformation(_ system: SMBIOSSystem) -> SystemInformation {
        SystemInformation(
            uuid: system.uuid?.value,
            manufacturer: system.manufacturer?.value,
            productName: system.productName?.value,
            version: system.version?.value,
            serialNumber: system.serialNumber?.value,
            skuNumber: system.skuNumber?.value,
            family: system.family?.value
        )
    }

    static func computeInformation(_ processors: [SMBIOSProcessor]) -> ComputeInformation {
        let populated = processors.filter(\.isSocketPopulated).map { processor in
            Processor(
                manufacturer: processor.manufacturer?.value,
                productName: processor.version?.value,
                serialNumber: processor.serialNumber?.value,
                speed: processor.currentSpeed,
                coreCount: processor.coreCount,
                threadCount: processor.threadCount
            )
        }
        return ComputeInformation(
            totalCoreCount: populated.reduce(0) { $0 + ($1.coreCount ?? 0) },
            totalThreadCount: populated.reduce(0) { $0 + ($1.threadCount ?? 0) },
            processorCount: populated.count,
            processors: populated
        )
    }

    static func memoryInformation(_ devices: [SMBIOSMemoryDevice]) -> MemoryInformation {
        let modules = devices.compactMap { device -> MemoryModule? in
            guard case .kilobytes(let kilobytes) = device.size else { return nil }
            return MemoryModule(
                manufacturer: device.manufacturer?.value,
                productName: device.partNumber?.value,
                serialNumber: device.serialNumber?.value,
                type: device.memoryTypeName,
                size: megabytes(kilobytes),
                speed: device.speed
            )
        }
        let totalMegabytes = modules.reduce(0) { $0 + ($1.size ?? 0) }
        return MemoryInformation(totalSize: "\(totalMegabytes / 1024) GB", moduleCount: modules.count, modules: modules)
    }

    /// KB to MB, rounded down, at least 1 for an installed module.
    static func megabytes(_ kilobytes: UInt64) -> Int {
        max(1, Int(clamping: kilobytes / 1024))
    }
}
