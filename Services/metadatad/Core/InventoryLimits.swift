import AnvilResources

/// Bounds on what an agent may report, so one bad or hostile inventory cannot bloat the store
/// (the body itself is capped at 1 MiB by the HTTP server). Generous for real hardware.
enum InventoryLimits {
    static let maximumEntries = 1024
    static let maximumStringLength = 512

    /// The first problem found, naming the field, or nil when the inventory is acceptable.
    static func problem(in hardware: HardwareInformation) -> String? {
        let lists: [(String, Int)] = [
            ("hardware.compute.processors", hardware.compute?.processors?.count ?? 0),
            ("hardware.memory.modules", hardware.memory?.modules?.count ?? 0),
            ("hardware.storage.devices", hardware.storage?.devices?.count ?? 0),
            ("hardware.network.interfaces", hardware.network?.interfaces?.count ?? 0),
        ]
        for (path, count) in lists where count > maximumEntries {
            return "\(path) has \(count) entries; at most \(maximumEntries) are accepted"
        }
        for (path, value) in strings(of: hardware) where value.utf8.count > maximumStringLength {
            return "\(path) is \(value.utf8.count) bytes long; at most \(maximumStringLength) are accepted"
        }
        for (index, interface) in (hardware.network?.interfaces ?? []).enumerated() where (interface.addresses?.count ?? 0) > maximumEntries {
            return "hardware.network.interfaces[\(index)].addresses has \(interface.addresses?.count ?? 0) entries; at most \(maximumEntries) are accepted"
        }
        return nil
    }

    private static func strings(of hardware: HardwareInformation) -> [(String, String)] {
        var found: [(String, String?)] = []
        if let system = hardware.system {
            found += [
                ("hardware.system.uuid", system.uuid), ("hardware.system.manufacturer", system.manufacturer),
                ("hardware.system.productName", system.productName), ("hardware.system.version", system.version),
                ("hardware.system.serialNumber", system.serialNumber), ("hardware.system.skuNumber", system.skuNumber),
                ("hardware.system.family", system.family),
            ]
        }
        for (index, processor) in (hardware.compute?.processors ?? []).enumerated() {
            let path = "hardware.compute.processors[\(index)]"
            found += [("\(path).manufacturer", processor.manufacturer), ("\(path).productName", processor.productName), ("\(path).serialNumber", processor.serialNumber)]
        }
        for (index, module) in (hardware.memory?.modules ?? []).enumerated() {
            let path = "hardware.memory.modules[\(index)]"
            found += [
                ("\(path).manufacturer", module.manufacturer), ("\(path).productName", module.productName),
                ("\(path).serialNumber", module.serialNumber), ("\(path).type", module.type),
            ]
        }
        for (index, device) in (hardware.storage?.devices ?? []).enumerated() {
            let path = "hardware.storage.devices[\(index)]"
            found += [
                ("\(path).productName", device.productName), ("\(path).serialNumber", device.serialNumber), ("\(path).name", device.name),
                ("\(path).deviceName", device.deviceName), ("\(path).uuid", device.uuid), ("\(path).wwid", device.wwid), ("\(path).type", device.type),
            ]
        }
        for (index, interface) in (hardware.network?.interfaces ?? []).enumerated() {
            let path = "hardware.network.interfaces[\(index)]"
            found += [("\(path).name", interface.name), ("\(path).flags", interface.flags), ("\(path).mac", interface.mac)]
            found += (interface.addresses ?? []).enumerated().map { ("\(path).addresses[\($0.offset)]", $0.element) }
        }
        return found.compactMap { path, value in value.map { (path, $0) } }
    }
}
