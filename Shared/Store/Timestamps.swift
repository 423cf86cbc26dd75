import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 UTC timestamps at second precision ("2026-11-25T13:00:00Z"), as Kubernetes writes
/// creationTimestamp. Formatted by hand: formatters are not Sendable and this is on every write.
public enum Timestamp {
    public static func rfc3339(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// The date an RFC 3339 timestamp names, or nil when it is not one.
    public static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
