/// Sidero's `PartialEqual`: a hardware qualifier matches when every field it sets equals the
/// server's. Unset, empty-string and zero fields are ignored; lists compare by position and a
/// qualifier list longer than the server's never matches.
extension HardwareInformation {
    public func matchesQualifier(_ qualifier: HardwareInformation) -> Bool {
        PartialMatch.matches(qualifier: qualifier, actual: self)
    }
}

enum PartialMatch {
    static func matches(qualifier: HardwareInformation, actual: HardwareInformation?) -> Bool {
        let actual = actual ?? HardwareInformation()
        return section(qualifier.system, actual.system, SystemInformation()) { q, a in
            field(q.uuid, a.uuid) && field(q.manufacturer, a.manufacturer) && field(q.productName, a.productName)
                && field(q.version, a.version) && field(q.serialNumber, a.serialNumber)
                && field(q.skuNumber, a.skuNumber) && field(q.family, a.family)
        }
            && section(qualifier.compute, actual.compute, ComputeInformation()) { q, a in
                field(q.totalCoreCount, a.totalCoreCount) && field(q.totalThreadCount, a.totalThreadCount)
                    && field(q.processorCount, a.processorCount) && list(q.processors, a.processors, processor)
            }
            && section(qualifier.memory, actual.memory, MemoryInformation()) { q, a in
                field(q.totalSize, a.totalSize) && field(q.moduleCount, a.moduleCount) && list(q.modules, a.modules, module)
            }
            && section(qualifier.storage, actual.storage, StorageInformation()) { q, a in
                field(q.totalSize, a.totalSize) && field(q.deviceCount, a.deviceCount) && list(q.devices, a.devices, device)
            }
            && section(qualifier.network, actual.network, NetworkInformation()) { q, a in
                field(q.interfaceCount, a.interfaceCount) && list(q.interfaces, a.interfaces, interface)
            }
    }

    private static func processor(_ q: Processor, _ a: Processor) -> Bool {
        field(q.manufacturer, a.manufacturer) && field(q.productName, a.productName)
            && field(q.serialNumber, a.serialNumber) && field(q.speed, a.speed) && field(q.coreCount, a.coreCount)
            && field(q.threadCount, a.threadCount)
    }

    private static func module(_ q: MemoryModule, _ a: MemoryModule) -> Bool {
        field(q.manufacturer, a.manufacturer) && field(q.productName, a.productName)
            && field(q.serialNumber, a.serialNumber) && field(q.type, a.type) && field(q.size, a.size)
            && field(q.speed, a.speed)
    }

    private static func device(_ q: StorageDevice, _ a: StorageDevice) -> Bool {
        field(q.type, a.type) && field(q.size, a.size) && field(q.productName, a.productName)
            && field(q.serialNumber, a.serialNumber) && field(q.name, a.name) && field(q.deviceName, a.deviceName)
            && field(q.uuid, a.uuid) && field(q.wwid, a.wwid)
    }

    private static func interface(_ q: NetworkInterface, _ a: NetworkInterface) -> Bool {
        field(q.index, a.index) && field(q.name, a.name) && field(q.flags, a.flags) && field(q.mtu, a.mtu)
            && field(q.mac, a.mac) && list(q.addresses, a.addresses) { $0.isEmpty || $0 == $1 }
    }

    /// An unset qualifier section matches anything; a set one is compared against an empty actual.
    private static func section<T>(_ q: T?, _ a: T?, _ empty: T, _ compare: (T, T) -> Bool) -> Bool {
        guard let q else { return true }
        return compare(q, a ?? empty)
    }

    private static func field(_ q: String?, _ a: String?) -> Bool {
        guard let q, !q.isEmpty else { return true }
        return q == a
    }

    private static func field(_ q: Int?, _ a: Int?) -> Bool {
        guard let q, q != 0 else { return true }
        return q == a
    }

    private static func list<T>(_ q: [T]?, _ a: [T]?, _ compare: (T, T) -> Bool) -> Bool {
        guard let q, !q.isEmpty else { return true }
        let a = a ?? []
        guard q.count <= a.count else { return false }
        return zip(q, a).allSatisfy(compare)
    }
}
