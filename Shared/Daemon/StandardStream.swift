#if canImport(Glibc)
import Glibc
#endif

/// Writes text to a descriptor without Foundation's `FileHandle.write(_:)`, which traps on any
/// error: a daemon whose supervisor (or a CLI whose `| head` reader) went away got EPIPE and
/// crashed on its next log line, and a full disk did the same to `anvil up`'s log files. Here an
/// interrupted write (EINTR) is retried, a partial one continued, and anything else drops the text:
/// a log line is never worth a crash.
public enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    /// Writes all of `text`; false when the stream refused it (closed pipe, full disk, …).
    @discardableResult
    public func write(_ text: String) -> Bool {
        Self.write(Array(text.utf8), to: rawValue)
    }

    /// Writes all of `bytes` to `descriptor`, retrying EINTR; false on any other error.
    @discardableResult
    public static func write(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
