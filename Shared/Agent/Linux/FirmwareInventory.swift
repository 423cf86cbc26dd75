import AnvilResources
import AnvilSMBIOS
import Foundation

/// System, processors and memory from the SMBIOS tables in `/sys/firmware/dmi/tables`; if those
/// cannot be read, the system fields the kernel exports in `/sys/class/dmi/id` (no CPUs, no DIMMs).
struct FirmwareInventory {
    let root: String
    let log: @Sendable (String) -> Void

    func read() -> SMBIOSHardware {
        do {
            return SMBIOSHardware(table: try SMBIOSTable.read(directory: root + SMBIOSTable.sysfsDirectory))
        } catch {
            log("inventory: SMBIOS tables unreadable (\(error)); using /sys/class/dmi/id")
            var hardware = SMBIOSHardware(table: SMBIOSTable(entryPoint: nil, structures: []))
            hardware.system = kernelExport()
            return hardware
        }
    }

    private func kernelExport() -> SystemInformation {
        func field(_ name: String) -> String? {
            FileManager.default.contents(atPath: "\(root)/sys/class/dmi/id/\(name)")
                .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        return SystemInformation(
            uuid: field("product_uuid")?.lowercased(), manufacturer: field("sys_vendor"), productName: field("product_name"),
            version: field("product_version"), serialNumber: field("product_serial"), skuNumber: field("product_sku"), family: field("product_family"))
    }
}
