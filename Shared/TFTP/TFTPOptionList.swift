/// The NUL-terminated name/value pairs shared by requests and OACK (RFC 2347 §"Packet Formats").
enum TFTPOptionList {
    static func encode(_ options: [TFTPOption], into bytes: inout [UInt8]) {
        for option in options {
            bytes.appendNULTerminated(option.name)
            bytes.appendNULTerminated(option.value)
        }
    }

    /// Reads pairs to the end of the datagram; every name and value must be NUL-terminated.
    static func decode(_ reader: inout TFTPByteReader) throws(TFTPDecodeError) -> [TFTPOption] {
        var options: [TFTPOption] = []
        while !reader.isAtEnd {
            guard options.count < TFTPLimits.maximumOptionCount else { throw .tooManyOptions }
            let name = try readField(&reader)
            guard !name.isEmpty else { throw .emptyOptionName }
            guard !reader.isAtEnd else { throw .optionWithoutValue(name: name) }
            let value = try readField(&reader)
            options.append(TFTPOption(name: name, value: value))
        }
        return options
    }

    private static func readField(_ reader: inout TFTPByteReader) throws(TFTPDecodeError) -> String {
        let bytes = try reader.readNULTerminatedBytes()
        guard bytes.count <= TFTPLimits.maximumOptionFieldLength else { throw .optionTooLong }
        guard let text = String(strictUTF8: bytes) else { throw .invalidText }
        return text
    }
}
