import AnvilResources
import Foundation

/// System, processors and memory from the SMBIOS tables (placeholder until the SMBIOS module lands:
/// reads `/sys/class/dmi/id`).
struct FirmwareInventory {
    let root: String

    struct Result {
        var system: SystemInformation?
        var compute: ComputeInformation?
        var memory: MemoryInformation?
    }

    func read() throws -> Result {
        func field(_ name: String) -> String? {
            FileManager.default.contents(atPath: "\(root)/sys/class/dmi/id/\(name)")
                .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        return Result(system: SystemInformation(
            uuid: field("product_uuid")?.lowercased(), manufacturer: field("sys_vendor"), productName: field("product_name"),
            version: field("product_version"), serialNumber: field("product_serial"), skuNumber: field("product_sku"), family: field("product_family")))
    }
}
