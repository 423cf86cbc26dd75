/// A string field of a structure: a 1-based number into the structure's string set.
public enum SMBIOSString: Sendable, Hashable, CustomStringConvertible {
    /// String number 0: the firmware gives no string (dmidecode: "Not Specified").
    case notSpecified
    /// A number beyond the structure's string set (dmidecode: "<BAD INDEX>").
    case badIndex(Int)
    /// The string, trimmed of trailing spaces, with control characters shown as "." like dmidecode.
    case text(String)

    /// The string when there is a non-empty one; nil for "no string", a bad index or only spaces.
    public var value: String? {
        if case .text(let text) = self, !text.isEmpty { return text }
        return nil
    }

    /// What dmidecode prints for this field.
    public var description: String {
        switch self {
        case .notSpecified: "Not Specified"
        case .badIndex: "<BAD INDEX>"
        case .text(let text): text
        }
    }

    /// Decodes one string of a string set, as dmidecode shows it.
    ///
    /// SMBIOS strings are meant to be ASCII; bytes below 0x20 and 0x7F are shown as "."
    /// (dmidecode does the same) and other bytes are read as UTF-8, invalid sequences
    /// repaired. Trailing spaces are dropped: firmware pads fixed-width fields with them.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        let filtered = bytes.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: ".") : $0 }
        var end = filtered.endIndex
        while end > filtered.startIndex, filtered[end - 1] == UInt8(ascii: " ") {
            end -= 1
        }
        return String(decoding: filtered[..<end], as: UTF8.self)
    }
}
