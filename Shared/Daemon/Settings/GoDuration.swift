import Foundation

/// Parses Go-style durations ("20m", "30s", "1h30m", "250ms") as Sidero's flags take them.
public enum GoDuration {
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return .zero }
        var total = Duration.zero
        let units: [(String, Duration)] = [
            ("ms", .milliseconds(1)), ("us", .microseconds(1)), ("µs", .microseconds(1)), ("ns", .nanoseconds(1)),
            ("h", .seconds(3600)), ("m", .seconds(60)), ("s", .seconds(1)),
        ]
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += scale * value
        }
        return total
    }

    /// "20m0s"-like rendering for logs and service.info.
    public static func format(_ duration: Duration) -> String {
        if duration < .seconds(1) {
            return "\(duration.components.attoseconds / 1_000_000_000_000_000)ms"
        }
        var seconds = duration.components.seconds
        let hours = seconds / 3600
        seconds %= 3600
        let minutes = seconds / 60
        seconds %= 60
        var text = ""
        if hours > 0 { text += "\(hours)h" }
        if hours > 0 || minutes > 0 { text += "\(minutes)m" }
        return text + "\(seconds)s"
    }
}
