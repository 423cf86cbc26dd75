import AnvilResources
import Foundation

/// Two machines claiming one SMBIOS UUID (some vendors ship duplicates): the inventory a
/// registration brings names other NICs and another serial number than the one on record
/// (docs/security.md, "Duplicate identities"). A NIC swap keeps the serial; a board swap keeps
/// some NICs; so only both differing — or all NICs differing with no serial to compare — counts.
enum IdentityConflict {
    static let conditionType = "IdentityConflict"

    /// Serial numbers that firmware fills in when nobody set one: never evidence either way.
    static let placeholderSerials: Set<String> = [
        "", "0", "none", "n/a", "na", "not specified", "not available", "to be filled by o.e.m.", "default string",
        "system serial number", "0123456789", "123456789",
    ]

    /// Why `reported` cannot be the machine `known` describes, or nil.
    static func between(known: HardwareInformation?, reported: HardwareInformation) -> String? {
        guard let known else { return nil }
        let knownMACs = macs(known), reportedMACs = macs(reported)
        let macsDiffer = !knownMACs.isEmpty && !reportedMACs.isEmpty && knownMACs.isDisjoint(with: reportedMACs)
        let knownSerial = serial(known), reportedSerial = serial(reported)
        let serialsComparable = knownSerial != nil && reportedSerial != nil
        let serialsDiffer = serialsComparable && knownSerial != reportedSerial
        let macsUnknown = knownMACs.isEmpty || reportedMACs.isEmpty
        guard macsDiffer && (serialsDiffer || !serialsComparable) || serialsDiffer && macsUnknown else { return nil }
        var parts: [String] = []
        if macsDiffer {
            parts.append("NICs \(reportedMACs.sorted().joined(separator: ",")) instead of \(knownMACs.sorted().joined(separator: ","))")
        }
        if serialsDiffer, let knownSerial, let reportedSerial {
            parts.append("serial \"\(reportedSerial.prefix(64))\" instead of \"\(knownSerial.prefix(64))\"")
        }
        return "another machine registered with this UUID: " + parts.joined(separator: ", ")
            + "; its inventory was not merged (the vendor may ship duplicate UUIDs: fix the SMBIOS UUID, or delete the Server to let the new machine register)"
    }

    static func macs(_ hardware: HardwareInformation) -> Set<String> {
        Set((hardware.network?.interfaces ?? []).compactMap { $0.mac?.lowercased() }.filter { !$0.isEmpty && $0 != "00:00:00:00:00:00" })
    }

    static func serial(_ hardware: HardwareInformation) -> String? {
        guard let raw = hardware.system?.serialNumber?.trimmingCharacters(in: .whitespaces) else { return nil }
        return placeholderSerials.contains(raw.lowercased()) ? nil : raw
    }
}
