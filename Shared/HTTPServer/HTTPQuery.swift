/// `application/x-www-form-urlencoded` query strings: `a=1&b=x%20y` → ["a": "1", "b": "x y"].
public enum HTTPQuery {
    /// Later duplicates win; a key without `=` maps to "". Nil when a percent escape is invalid.
    /// Works on UTF-8 bytes: this runs on every boot request.
    public static func parse(_ query: Substring) -> [String: String]? {
        var result: [String: String] = [:]
        let bytes = query.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            let pair = bytes[start..<end]
            if !pair.isEmpty {
                let equals = pair.firstIndex(of: UInt8(ascii: "="))
                guard let key = decode(bytes: pair[..<(equals ?? pair.endIndex)], plusIsSpace: true) else { return nil }
                var value = ""
                if let equals {
                    guard let decoded = decode(bytes: pair[pair.index(after: equals)...], plusIsSpace: true) else { return nil }
                    value = decoded
                }
                result[key] = value
            }
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return result
    }

    /// Percent-decoding with `+` as a space; nil for a bad escape or bytes that are not UTF-8.
    public static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String? {
        decode(bytes: text.utf8[...], plusIsSpace: plusIsSpace)
    }

    static func decode(bytes text: Substring.UTF8View.SubSequence, plusIsSpace: Bool) -> String? {
        if !text.contains(UInt8(ascii: "%")) && !(plusIsSpace && text.contains(UInt8(ascii: "+"))) {
            return String(validating: text, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var iterator = text.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
