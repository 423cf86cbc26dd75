import AnvilJSON
import NIOCore

/// The bus's JSON on `ByteBuffer`s, through AnvilJSON's shared parser and writer, so the call
/// path needs neither Foundation's coders nor intermediate `Data` copies.
enum BusJSON {
    typealias SyntaxError = JSONParser.Failure

    /// Parses the readable bytes of `buffer` as exactly one JSON value (surrounding whitespace allowed).
    static func parse(_ buffer: ByteBuffer) throws -> JSONValue {
        try buffer.withUnsafeReadableBytes { raw in
            try JSONParser.parse(bytes: raw.bindMemory(to: UInt8.self))
        }
    }

    /// Writes `value` as compact JSON.
    static func write(_ value: JSONValue, into buffer: inout ByteBuffer) {
        JSONWriter.write(value, into: &buffer)
    }

    static func writeString(_ string: String, into buffer: inout ByteBuffer) {
        JSONWriter.writeString(string, into: &buffer)
    }
}

extension ByteBuffer: JSONOutput {
    @inlinable public mutating func appendJSONByte(_ byte: UInt8) { writeInteger(byte) }
    @inlinable public mutating func appendJSONText(_ text: String) { writeString(text) }
}
