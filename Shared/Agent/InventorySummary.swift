import AnvilResources
import Foundation

/// One console line describing what the agent found, for the operator watching the serial console.
enum InventorySummary {
    static func line(_ registration: Registration) -> String {
        let hardware = registration.hardware
        var parts: [String] = ["uuid \(registration.uuid)"]
        if let system = hardware?.system {
            let name = [system.manufacturer, system.productName].compactMap { $0 }.joined(separator: " ")
            if !name.isEmpty { parts.append(name) }
            if let serial = system.serialNumber { parts.append("serial \(serial)") }
        }
        if let compute = hardware?.compute {
            parts.append("\(compute.processorCount ?? 0) CPU(s), \(compute.totalCoreCount ?? 0) cores")
        }
        if let memory = hardware?.memory?.totalSize { parts.append("memory \(memory)") }
        if let disks = hardware?.storage?.devices {
            parts.append("disks " + (disks.isEmpty ? "none" : disks.map { "\($0.name ?? "?") \(ByteCount.text(UInt64(max(0, $0.size ?? 0))))" }.joined(separator: ", ")))
        }
        if let nics = hardware?.network?.interfaces {
            parts.append("NICs " + (nics.isEmpty ? "none" : nics.map { "\($0.name ?? "?") \($0.mac ?? "")" }.joined(separator: ", ")))
        }
        return parts.joined(separator: "; ")
    }
}

/// Sizes for people: 2 GiB, 512 MiB, 1536 B.
enum ByteCount {
    static func text(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size {
            let value = Double(bytes) / Double(size)
            return value == value.rounded() ? "\(Int(value)) \(name)" : String(format: "%.1f", value) + " \(name)"
        }
        return "\(bytes) B"
    }
}
