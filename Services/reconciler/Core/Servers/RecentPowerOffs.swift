import Foundation
import Synchronization

/// The power-offs the Server controller sent lately, by server. A BMC may keep reporting "on"
/// for a while after a power-off (Sidero #657); the controller then waits for the reading to
/// settle instead of sending another power-off on every status change (each read and each off
/// changes the Server's `status.power`, which reconciles it again).
final class RecentPowerOffs: Sendable {
    private let sent = Mutex<[String: Date]>([:])

    func record(_ server: String, at time: Date) {
        sent.withLock { $0[server] = time }
    }

    /// A power-on or cycle since: an "on" reading is then no sign of a lie.
    func forget(_ server: String) {
        _ = sent.withLock { $0.removeValue(forKey: server) }
    }

    /// How much of `window` is left since the last power-off sent to `server`, nil when none is
    /// that recent.
    func remaining(_ server: String, now: Date, window: Duration) -> Duration? {
        guard let time = sent.withLock({ $0[server] }) else { return nil }
        let left = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18 - now.timeIntervalSince(time)
        return left > 0 ? .milliseconds(Int64((left * 1000).rounded(.up))) : nil
    }
}
