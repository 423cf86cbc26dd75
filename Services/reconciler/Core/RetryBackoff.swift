/// Environments whose last attempt failed wait before the next: 5 s, doubling to 5 min, for as
/// long as their asset spec stays the same. A changed spec is tried at once, so an operator's fix
/// takes effect immediately; an unreachable URL (an offline site's `default`) costs one attempt
/// per backoff period, never a hot loop.
actor RetryBackoff {
    private struct Entry {
        let key: EnvironmentAssetsKey
        let failures: Int
        let due: ContinuousClock.Instant
    }

    let initial: Duration
    let maximum: Duration
    private var entries: [String: Entry] = [:]

    init(initial: Duration = .seconds(5), maximum: Duration = .seconds(300)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Whether an attempt for this spec must wait (a retry is scheduled and not yet due).
    func isWaiting(_ name: String, key: EnvironmentAssetsKey, now: ContinuousClock.Instant = .now) -> Bool {
        guard let entry = entries[name], entry.key == key else { return false }
        return now < entry.due
    }

    /// Records a failure and returns how long until the retry.
    func failed(_ name: String, key: EnvironmentAssetsKey, now: ContinuousClock.Instant = .now) -> Duration {
        let failures = entries[name].map { $0.key == key ? $0.failures + 1 : 1 } ?? 1
        var delay = initial
        for _ in 1..<failures where delay < maximum { delay *= 2 }
        delay = min(delay, maximum)
        entries[name] = Entry(key: key, failures: failures, due: now + delay)
        return delay
    }

    func succeeded(_ name: String) {
        entries[name] = nil
    }

    /// When the retry of `name` falls due, if one is scheduled.
    func dueTime(for name: String) -> ContinuousClock.Instant? {
        entries[name]?.due
    }
}
