/// Why an asset is not ready, worded for `anvil describe` (event reason + message) and the log.
enum AssetFetchError: Error, Sendable, CustomStringConvertible {
    /// No connection, DNS failure, TLS failure, connect or read timeout.
    case unreachable(url: String, detail: String)
    /// The server answered, but not with 2xx.
    case httpStatus(url: String, code: UInt, reason: String)
    /// The transfer broke off or took longer than allowed.
    case interrupted(url: String, received: Int64, detail: String)
    /// The body was shorter than its Content-Length.
    case truncated(url: String, received: Int64, expected: Int64)
    case tooLarge(url: String, limit: Int64)
    /// A `file://` source that is missing or cannot be read.
    case unreadableFile(url: String, detail: String)
    case checksumMismatch(url: String, expected: String, actual: String)
    /// Writing into the state directory failed (disk full, permissions).
    case storage(detail: String)

    /// The event reason: what an operator filters on.
    var reason: String {
        switch self {
        case .checksumMismatch: return "ChecksumMismatch"
        case .storage: return "WriteFailed"
        default: return "DownloadFailed"
        }
    }

    var description: String {
        switch self {
        case .unreachable(let url, let detail):
            return "cannot fetch \(url): \(detail)"
        case .httpStatus(let url, let code, let reason):
            return "\(url) answered HTTP \(code) \(reason)"
        case .interrupted(let url, let received, let detail):
            return "fetching \(url) failed after \(ByteCount.text(received)): \(detail)"
        case .truncated(let url, let received, let expected):
            return "\(url) ended after \(ByteCount.text(received)) of the \(ByteCount.text(expected)) announced"
        case .tooLarge(let url, let limit):
            return "\(url) is larger than the \(ByteCount.text(limit)) limit"
        case .unreadableFile(let url, let detail):
            return "cannot read \(url): \(detail)"
        case .checksumMismatch(let url, let expected, let actual):
            return "sha512 mismatch for \(url): the spec says \(expected), the download has \(actual)"
        case .storage(let detail):
            return "cannot write the asset: \(detail)"
        }
    }
}
