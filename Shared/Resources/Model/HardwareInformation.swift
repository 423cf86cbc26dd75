/// What the agent reports about a machine (Sidero v1alpha2 `HardwareInformation`).
/// The same type is a ServerClass hardware qualifier, where unset fields mean "any".
public struct HardwareInformation: Codable, Sendable, Hashable {
    public var system: SystemInformation?
    public var compute: ComputeInformation?
    public var memory: MemoryInformation?
    public var storage: StorageInformation?
    public var network: NetworkInformation?

    public init(
        system: SystemInformation? = nil, compute: ComputeInformation? = nil, memory: MemoryInformation? = nil,
        storage: StorageInformation? = nil, network: NetworkInformation? = nil
    ) {
        self.system = system
        self.compute = compute
        self.memory = memory
        self.storage = storage
        self.network = network
    }
}

/// SMBIOS system information.
public struct SystemInformation: Codable, Sendable, Hashable {
    public var uuid: String?
    public var manufacturer: String?
    public var productName: String?
    public var version: String?
    public var serialNumber: String?
    public var skuNumber: String?
    public var family: String?

    public init(
        uuid: String? = nil, manufacturer: String? = nil, productName: String? = nil, version: String? = nil,
        serialNumber: String? = nil, skuNumber: String? = nil, family: String? = nil
    ) {
        self.uuid = uuid
        self.manufacturer = manufacturer
        self.productName = productName
        self.version = version
        self.serialNumber = serialNumber
        self.skuNumber = skuNumber
        self.family = family
    }
}

public struct ComputeInformation: Codable, Sendable, Hashable {
    public var totalCoreCount: Int?
    public var totalThreadCount: Int?
    public var processorCount: Int?
    public var processors: [Processor]?

    public init(
        totalCoreCount: Int? = nil, totalThreadCount: Int? = nil, processorCount: Int? = nil,
        processors: [Processor]? = nil
    ) {
        self.totalCoreCount = totalCoreCount
        self.totalThreadCount = totalThreadCount
        self.processorCount = processorCount
        self.processors = processors
    }
}

public struct Processor: Codable, Sendable, Hashable {
    public var manufacturer: String?
    public var productName: String?
    public var serialNumber: String?
    /// MHz.
    public var speed: Int?
    public var coreCount: Int?
    public var threadCount: Int?

    public init(
        manufacturer: String? = nil, productName: String? = nil, serialNumber: String? = nil, speed: Int? = nil,
        coreCount: Int? = nil, threadCount: Int? = nil
    ) {
        self.manufacturer = manufacturer
        self.productName = productName
        self.serialNumber = serialNumber
        self.speed = speed
        self.coreCount = coreCount
        self.threadCount = threadCount
    }
}

public struct MemoryInformation: Codable, Sendable, Hashable {
    /// e.g. "32 GB".
    public var totalSize: String?
    public var moduleCount: Int?
    public var modules: [MemoryModule]?

    public init(totalSize: String? = nil, moduleCount: Int? = nil, modules: [MemoryModule]? = nil) {
        self.totalSize = totalSize
        self.moduleCount = moduleCount
        self.modules = modules
    }
}

public struct MemoryModule: Codable, Sendable, Hashable {
    public var manufacturer: String?
    public var productName: String?
    public var serialNumber: String?
    public var type: String?
    /// MB.
    public var size: Int?
    /// MT/s.
    public var speed: Int?

    public init(
        manufacturer: String? = nil, productName: String? = nil, serialNumber: String? = nil, type: String? = nil,
        size: Int? = nil, speed: Int? = nil
    ) {
        self.manufacturer = manufacturer
        self.productName = productName
        self.serialNumber = serialNumber
        self.type = type
        self.size = size
        self.speed = speed
    }
}

public struct StorageInformation: Codable, Sendable, Hashable {
    /// e.g. "1116 GB".
    public var totalSize: String?
    public var deviceCount: Int?
    public var devices: [StorageDevice]?

    public init(totalSize: String? = nil, deviceCount: Int? = nil, devices: [StorageDevice]? = nil) {
        self.totalSize = totalSize
        self.deviceCount = deviceCount
        self.devices = devices
    }
}

public struct StorageDevice: Codable, Sendable, Hashable {
    /// SSD, HDD, NVMe, SD or Unknown.
    public var type: String?
    /// Bytes.
    public var size: Int?
    public var productName: String?
    public var serialNumber: String?
    public var name: String?
    public var deviceName: String?
    public var uuid: String?
    public var wwid: String?

    public init(
        type: String? = nil, size: Int? = nil, productName: String? = nil, serialNumber: String? = nil,
        name: String? = nil, deviceName: String? = nil, uuid: String? = nil, wwid: String? = nil
    ) {
        self.type = type
        self.size = size
        self.productName = productName
        self.serialNumber = serialNumber
        self.name = name
        self.deviceName = deviceName
        self.uuid = uuid
        self.wwid = wwid
    }
}

public struct NetworkInformation: Codable, Sendable, Hashable {
    public var interfaceCount: Int?
    public var interfaces: [NetworkInterface]?

    public init(interfaceCount: Int? = nil, interfaces: [NetworkInterface]? = nil) {
        self.interfaceCount = interfaceCount
        self.interfaces = interfaces
    }
}

public struct NetworkInterface: Codable, Sendable, Hashable {
    public var index: Int?
    public var name: String?
    /// e.g. "up|broadcast|multicast".
    public var flags: String?
    public var mtu: Int?
    public var mac: String?
    /// CIDR notation, e.g. "192.168.2.8/24".
    public var addresses: [String]?

    public init(
        index: Int? = nil, name: String? = nil, flags: String? = nil, mtu: Int? = nil, mac: String? = nil,
        addresses: [String]? = nil
    ) {
        self.index = index
        self.name = name
        self.flags = flags
        self.mtu = mtu
        self.mac = mac
        self.addresses = addresses
    }
}
