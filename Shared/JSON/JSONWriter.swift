/// Where `JSONWriter` puts bytes: a byte array here, a NIO `ByteBuffer` in the bus.
public protocol JSONOutput {
    mutating func appendJSONByte(_ byte: UInt8)
    /// Appends the UTF-8 of text that needs no escaping.
    mutating func appendJSONText(_ text: String)
}

extension Array: JSONOutput where Element == UInt8 {
    @inlinable public mutating func appendJSONByte(_ byte: UInt8) { append(byte) }
    @inlinable public mutating func appendJSONText(_ text: String) { append(contentsOf: text.utf8) }
}

/// Compact JSON text with sorted keys, written by hand: the store serialises every body it
/// writes and the bus every message, and JSONEncoder's generic path through
/// `JSONValue: Encodable` is several times slower. Sorted keys keep equal values byte-identical.
public enum JSONWriter {
    public static func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func string(_ object: [String: JSONValue]) -> String {
        string(.object(object))
    }

    // Inlinable so the bus's ByteBuffer output is specialised, not dispatched per byte.
    @inlinable
    public static func write<Output: JSONOutput>(_ value: JSONValue, into out: inout Output) {
        switch value {
        case .null: out.appendJSONText("null")
        case .bool(let flag): out.appendJSONText(flag ? "true" : "false")
        case .int(let number): out.appendJSONText(String(number))
        case .double(let number):
            // JSON has no NaN/Infinity; such values cannot come from parsed JSON or YAML numbers.
            out.appendJSONText(number.isFinite ? number.description : "null")
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            out.appendJSONByte(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { out.appendJSONByte(UInt8(ascii: ",")) }
                first = false
                write(item, into: &out)
            }
            out.appendJSONByte(UInt8(ascii: "]"))
        case .object(let object):
            out.appendJSONByte(UInt8(ascii: "{"))
            var first = true
            for key in object.keys.sorted() {
                if !first { out.appendJSONByte(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.appendJSONByte(UInt8(ascii: ":"))
                write(object[key]!, into: &out)
            }
            out.appendJSONByte(UInt8(ascii: "}"))
        }
    }

    @inlinable
    public static func writeString<Output: JSONOutput>(_ text: String, into out: inout Output) {
        out.appendJSONByte(UInt8(ascii: "\""))
        let needsEscaping = text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        if !needsEscaping {
            out.appendJSONText(text)
        } else {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.appendJSONText("\\\"")
                case UInt8(ascii: "\\"): out.appendJSONText("\\\\")
                case 0x0A: out.appendJSONText("\\n")
                case 0x0D: out.appendJSONText("\\r")
                case 0x09: out.appendJSONText("\\t")
                case 0x08: out.appendJSONText("\\b")
                case 0x0C: out.appendJSONText("\\f")
                case 0..<0x20:
                    out.appendJSONText("\\u00")
                    out.appendJSONByte(hexDigit(byte >> 4))
                    out.appendJSONByte(hexDigit(byte & 0x0F))
                default: out.appendJSONByte(byte)
                }
            }
        }
        out.appendJSONByte(UInt8(ascii: "\""))
    }

    @inlinable
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
