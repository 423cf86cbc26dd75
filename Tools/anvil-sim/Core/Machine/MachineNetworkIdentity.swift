import Foundation

/// The identity a machine shows on the wire for one boot: the UUID it reports and its NICs'
/// MACs, with the machine's faults applied (docs/simulator.md "Faults").
struct MachineNetworkIdentity: Sendable, Equatable {
    var uuid: String
    var macs: [String]

    init(identity: MachineIdentity, faults: MachineFaults, bootNumber: Int) {
        uuid = faults.duplicateUUID ?? identity.uuid
        macs = identity.macs
        if faults.changingMAC, !macs.isEmpty {
            // A locally administered MAC that differs on every boot: the original's last three
            // octets (unique in a fleet) and the boot number.
            let original = macs[0].split(separator: ":").suffix(3).joined(separator: ":")
            macs[0] = "0a:\(original):" + [(bootNumber >> 8) & 0xff, bootNumber & 0xff].map { String(format: "%02x", $0) }.joined(separator: ":")
        }
    }

    /// The boot MAC as iPXE's `${net0/mac:hexhyp}` writes it.
    var bootMACHyphenated: String { (macs.first ?? "").replacingOccurrences(of: ":", with: "-") }
}
