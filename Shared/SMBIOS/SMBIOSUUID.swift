/// The 16-byte UUID field of System Information (type 1, offset 0x08).
public enum SMBIOSUUID: Sendable, Hashable {
    /// All bytes 0xFF: no UUID now, but one can be set (dmidecode: "Not Present").
    case notPresent
    /// All bytes 0x00: there is no UUID (dmidecode: "Not Settable").
    case notSettable
    /// Lower-case 8-4-4-4-12 text, as dmidecode and iPXE's `${uuid}` print it.
    case value(String)

    /// Reads the field's 16 bytes.
    ///
    /// Since SMBIOS 2.6 the first three fields are little-endian (dmidecode, the Linux
    /// kernel and iPXE read them so); earlier versions store all bytes in network order.
    public init(bytes: some Collection<UInt8>, version: SMBIOSVersion) {
        let raw = Array(bytes)
        if raw.allSatisfy({ $0 == 0xFF }) {
            self = .notPresent
            return
        }
        if raw.allSatisfy({ $0 == 0x00 }) {
            self = .notSettable
            return
        }
        let order: [Int] =
            version >= SMBIOSVersion(major: 2, minor: 6)
            ? [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15]
            : Array(0..<16)
        var text = ""
        for (position, index) in order.enumerated() where index < raw.count {
            if [4, 6, 8, 10].contains(position) { text += "-" }
            text += hexByte(raw[index]).lowercased()
        }
        self = .value(text)
    }

    /// The UUID text, or nil when the firmware has none.
    public var value: String? {
        if case .value(let text) = self { return text }
        return nil
    }
}
