import AnvilDaemon
import Foundation

/// Output lines with a wall-clock timestamp, flushed at once (the command's logs interleave with
/// Anvil's). Through `StandardStream`: `anvil-sim … | head` must not crash it on EPIPE.
enum Console {
    static func line(_ text: String) {
        let now = Date()
        let seconds = now.timeIntervalSince1970
        let millis = Int((seconds - seconds.rounded(.down)) * 1000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let stamp = String(format: "%02d:%02d:%02d.%03d", parts.tm_hour, parts.tm_min, parts.tm_sec, millis)
        StandardStream.output.write("\(stamp) \(text)\n")
    }
}
