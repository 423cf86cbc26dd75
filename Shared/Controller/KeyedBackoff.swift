/// Retry delays per key: `initial`, doubling with each failure in a row, up to `maximum`. A
/// success forgets the key. A failing key is retried no faster than this, never in a hot loop.
public actor KeyedBackoff {
    public let initial: Duration
    public let maximum: Duration
    private var failures: [String: Int] = [:]

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(300)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Records a failure of `key`; returns how long to wait before retrying it.
    public func failed(_ key: String) -> Duration {
        let count = (failures[key] ?? 0) + 1
        failures[key] = count
        var delay = initial
        for _ in 1..<count where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }

    public func succeeded(_ key: String) {
        failures[key] = nil
    }

    /// Failures of `key` in a row.
    public func failureCount(_ key: String) -> Int {
        failures[key] ?? 0
    }
}
