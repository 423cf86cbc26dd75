/// Hardware inventory (a Server's spec.hardware, a ServerClass qualifier): no negative counts or
/// sizes, which no machine has and which would make class qualifiers and sorting misbehave.
enum HardwareRules {
    static func check(_ hardware: HardwareInformation?, field: String) throws {
        guard let hardware else { return }
        var numbers: [(String, Int?)] = []
        if let compute = hardware.compute {
            numbers += [
                ("compute.totalCoreCount", compute.totalCoreCount), ("compute.totalThreadCount", compute.totalThreadCount),
                ("compute.processorCount", compute.processorCount),
            ]
            for (index, processor) in (compute.processors ?? []).enumerated() {
                let path = "compute.processors[\(index)]"
                numbers += [("\(path).speed", processor.speed), ("\(path).coreCount", processor.coreCount), ("\(path).threadCount", processor.threadCount)]
            }
        }
        if let memory = hardware.memory {
            numbers.append(("memory.moduleCount", memory.moduleCount))
            for (index, module) in (memory.modules ?? []).enumerated() {
                numbers += [("memory.modules[\(index)].size", module.size), ("memory.modules[\(index)].speed", module.speed)]
            }
        }
        if let storage = hardware.storage {
            numbers.append(("storage.deviceCount", storage.deviceCount))
            for (index, device) in (storage.devices ?? []).enumerated() {
                numbers.append(("storage.devices[\(index)].size", device.size))
            }
        }
        if let network = hardware.network {
            numbers.append(("network.interfaceCount", network.interfaceCount))
            for (index, interface) in (network.interfaces ?? []).enumerated() {
                numbers += [("network.interfaces[\(index)].index", interface.index), ("network.interfaces[\(index)].mtu", interface.mtu)]
            }
        }
        for case let (path, value?) in numbers where value < 0 {
            throw ResourceError.invalid(field: "\(field).\(path)", message: "\(value) is negative; must be 0 or more")
        }
        let sizes = [("memory.totalSize", hardware.memory?.totalSize), ("storage.totalSize", hardware.storage?.totalSize)]
        for case let (path, size?) in sizes where size.trimmingPrefix(while: \.isWhitespace).hasPrefix("-") {
            throw ResourceError.invalid(field: "\(field).\(path)", message: "\"\(size)\" is negative; must be 0 or more")
        }
    }
}
