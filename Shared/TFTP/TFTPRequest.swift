/// The body of an RRQ or WRQ: filename, mode and options (RFC 1350 §5, RFC 2347).
///
///     | opcode | filename | 0 | mode | 0 | opt1 | 0 | value1 | 0 | ... |
public struct TFTPRequest: Sendable, Equatable {
    /// The requested path as sent, 1–255 bytes of UTF-8 without NUL. Not yet checked for traversal.
    public var filename: String
    public var mode: TFTPMode
    public var options: [TFTPOption]

    public init(filename: String, mode: TFTPMode = .octet, options: [TFTPOption] = []) {
        self.filename = filename
        self.mode = mode
        self.options = options
    }

    func encodeBody(into bytes: inout [UInt8]) {
        bytes.appendNULTerminated(filename)
        bytes.appendNULTerminated(mode.rawValue)
        TFTPOptionList.encode(options, into: &bytes)
    }

    static func decodeBody(_ reader: inout TFTPByteReader) throws(TFTPDecodeError) -> TFTPRequest {
        let filenameBytes = try reader.readNULTerminatedBytes()
        guard !filenameBytes.isEmpty else { throw .emptyFilename }
        guard filenameBytes.count <= TFTPLimits.maximumFilenameLength else {
            throw .filenameTooLong(length: filenameBytes.count)
        }
        guard let filename = String(strictUTF8: filenameBytes) else { throw .invalidText }
        let modeBytes = try reader.readNULTerminatedBytes()
        guard modeBytes.count <= TFTPLimits.maximumOptionFieldLength else { throw .unknownMode("") }
        let modeName = String(decoding: modeBytes, as: UTF8.self)
        guard let mode = TFTPMode(wireName: modeName) else { throw .unknownMode(modeName) }
        let options = try TFTPOptionList.decode(&reader)
        return TFTPRequest(filename: filename, mode: mode, options: options)
    }
}
