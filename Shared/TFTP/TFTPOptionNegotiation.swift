/// Negotiates the options of a read request (RFC 2347, 2348, 2349, 7440).
///
/// Names are matched case-insensitively, unknown options are ignored, and for a repeated option
/// only the first occurrence counts. Per option:
/// - `blksize` (RFC 2348, 8–65464): above the server maximum → answered with the maximum; below 8
///   → error 8 (the server may only answer a *smaller* value, and none is valid); not a number →
///   dropped.
/// - `windowsize` (RFC 7440, 1–65535): above the server maximum → answered with the maximum; 0 →
///   error 8 (same reasoning); not a number → dropped.
/// - `timeout` (RFC 2349, 1–255 s): the value must be echoed exactly or not at all, so anything
///   out of range or not a number is dropped.
/// - `tsize` (RFC 2349): on a read the client sends 0 and the server answers the file size; dropped
///   when the value is not a number, the size is unknown, or the file is empty (curl rejects 0).
/// No acknowledged option → no OACK, the transfer starts with DATA 1 (RFC 2347).
public enum TFTPOptionNegotiation {
    /// The settings to run with and the options to put in the OACK (empty → send no OACK).
    public struct Agreement: Sendable, Equatable {
        public var settings: TFTPTransferSettings
        public var acknowledgedOptions: [TFTPOption]

        public init(settings: TFTPTransferSettings, acknowledgedOptions: [TFTPOption]) {
            self.settings = settings
            self.acknowledgedOptions = acknowledgedOptions
        }
    }

    /// Why negotiation failed; answer with ERROR 8 carrying ``message``.
    public struct Failure: Error, Sendable, Equatable {
        public var option: String
        public var value: String

        public var message: String { "unacceptable \(option) \(value)" }
        public var errorPacket: TFTPPacket { .error(.optionNegotiationFailed, message: message) }
    }

    public static func negotiateRead(
        _ requested: [TFTPOption], fileSize: Int?, limits: TFTPServerOptionLimits = TFTPServerOptionLimits()
    ) throws(Failure) -> Agreement {
        var settings = TFTPTransferSettings.rfc1350Defaults
        var acknowledged: [TFTPOption] = []
        var seen: Set<String> = []
        for option in requested {
            let name = option.normalizedName
            guard seen.insert(name).inserted else { continue }
            let number = parseDecimal(option.value)
            switch name {
            case "blksize":
                guard let number else { continue }
                guard number >= 8 else { throw Failure(option: name, value: option.value) }
                settings.blockSize = min(number, limits.maximumBlockSize)
                acknowledged.append(TFTPOption(name: name, value: String(settings.blockSize)))
            case "windowsize":
                guard let number else { continue }
                guard number >= 1 else { throw Failure(option: name, value: option.value) }
                settings.windowSize = min(number, limits.maximumWindowSize)
                acknowledged.append(TFTPOption(name: name, value: String(settings.windowSize)))
            case "timeout":
                guard let number, (1...255).contains(number) else { continue }
                settings.timeoutSeconds = number
                acknowledged.append(TFTPOption(name: name, value: String(number)))
            case "tsize":
                // An empty file's tsize is left out: curl rejects `tsize 0` in an OACK, and a size
                // of zero tells a client nothing it needs before the (empty) first block.
                guard number != nil, let fileSize, fileSize > 0 else { continue }
                acknowledged.append(TFTPOption(name: name, value: String(fileSize)))
            default:
                continue
            }
        }
        return Agreement(settings: settings, acknowledgedOptions: acknowledged)
    }

    /// A non-negative decimal of ASCII digits; values too large for 18 digits saturate (they are
    /// above every limit anyway). Nil when empty or not all digits.
    static func parseDecimal(_ text: String) -> Int? {
        var value = 0
        var sawDigit = false
        for byte in text.utf8 {
            guard (0x30...0x39).contains(byte) else { return nil }
            sawDigit = true
            if value < 100_000_000_000_000_000 { value = value * 10 + Int(byte - 0x30) }
        }
        return sawDigit ? value : nil
    }
}
