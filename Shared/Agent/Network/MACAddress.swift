/// MAC address text as the kernel command line (`sidero.mac=52:54:00:…`) and sysfs write it.
public enum MACAddress {
    /// The six bytes of "52:54:00:12:34:56" (also with `-` separators, any case); nil otherwise.
    public static func parse(_ text: String) -> [UInt8]? {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "-" })
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// Lower-case, colon-separated: the form sysfs uses, so text compares equal.
    public static func format(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// `text` in canonical form, or nil when it is not a MAC address.
    public static func normalized(_ text: String) -> String? {
        parse(text).map(format)
    }
}
