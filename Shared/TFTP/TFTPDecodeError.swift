/// Why a datagram is not a well-formed TFTP packet.
public enum TFTPDecodeError: Error, Sendable, Equatable {
    /// The datagram ends before a fixed-size field.
    case truncated
    /// The opcode is not one of 1–6.
    case unknownOpcode(UInt16)
    /// A string field (filename, mode, option, error message) has no terminating NUL.
    case missingTerminator
    /// The request names no file (CVE-2009-2957 class).
    case emptyFilename
    /// The filename is longer than ``TFTPLimits/maximumFilenameLength`` bytes.
    case filenameTooLong(length: Int)
    /// A string field is not valid UTF-8.
    case invalidText
    /// The request's mode is neither octet nor netascii.
    case unknownMode(String)
    /// The option list ends with a name that has no value.
    case optionWithoutValue(name: String)
    /// More than ``TFTPLimits/maximumOptionCount`` options.
    case tooManyOptions
    /// An option name is empty.
    case emptyOptionName
    /// An option name or value is longer than ``TFTPLimits/maximumOptionFieldLength`` bytes.
    case optionTooLong
    /// A DATA payload is larger than ``TFTPLimits/maximumBlockSize`` bytes.
    case dataTooLong(length: Int)
}
