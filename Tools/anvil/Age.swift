import Foundation

/// kubectl's AGE column: 45s, 12m, 3h, 5d.
enum Age {
    static func since(_ timestamp: String?, now: Date = Date()) -> String {
        guard let timestamp, let date = parse(timestamp) else { return "<unknown>" }
        return since(date, now: now)
    }

    static func since(_ date: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 2 * 3600 { return "\(seconds / 60)m" }
        if seconds < 48 * 3600 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }

    static func parse(_ timestamp: String) -> Date? {
        if let date = try? Date(timestamp, strategy: .iso8601) { return date }
        return try? Date(timestamp, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
