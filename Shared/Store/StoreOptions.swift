import Foundation

/// Tunables of one open store. Defaults suit the daemons; tests inject a clock and small limits.
public struct StoreOptions: Sendable {
    /// The time source for timestamps, lease expiry and event windows.
    public var clock: @Sendable () -> Date
    /// How long a writer waits for another process's write transaction before retrying.
    public var busyTimeout: TimeInterval
    /// Extra attempts after a busy timeout expired (with backoff) before giving up.
    public var busyRetries: Int
    public var eventRetention: EventRetention
    /// Called with the revision of every committed change (on the writer's thread, so it must be
    /// quick): how a daemon learns to send bus hints (docs/architecture.md "Change feed and hints").
    public var changeObserver: (@Sendable (Int64) -> Void)?

    public init(
        clock: @escaping @Sendable () -> Date = { Date() },
        busyTimeout: TimeInterval = 10,
        busyRetries: Int = 3,
        eventRetention: EventRetention = EventRetention(),
        changeObserver: (@Sendable (Int64) -> Void)? = nil
    ) {
        self.clock = clock
        self.busyTimeout = busyTimeout
        self.busyRetries = busyRetries
        self.eventRetention = eventRetention
        self.changeObserver = changeObserver
    }
}

/// How many events to keep and for how long; pruning runs on every `pruneEvery`-th insert so
/// a busy event stream does not pay for a DELETE each time.
public struct EventRetention: Sendable {
    public var maxCount: Int
    public var maxAge: TimeInterval
    public var pruneEvery: Int
    /// An identical event within this window bumps the existing row's count.
    public var dedupWindow: TimeInterval

    public init(maxCount: Int = 10_000, maxAge: TimeInterval = 24 * 3600, pruneEvery: Int = 100, dedupWindow: TimeInterval = 3600) {
        self.maxCount = maxCount
        self.maxAge = maxAge
        self.pruneEvery = pruneEvery
        self.dedupWindow = dedupWindow
    }
}
