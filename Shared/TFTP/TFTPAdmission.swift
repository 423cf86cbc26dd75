/// Who may start a transfer (pure: the caller passes the time). Caps concurrent transfers overall
/// and per client address, and limits requests per client address with a token bucket, so a boot
/// storm is served while one flooding or spoofed source cannot take the server over.
///
/// `Client` is whatever identifies a client address (an IP without the port).
public struct TFTPAdmission<Client: Hashable & Sendable>: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Transfers in flight at once, all clients together; 0 = unlimited.
        public var maximumTransfers: Int
        /// Transfers in flight at once from one client address; 0 = unlimited.
        public var maximumTransfersPerClient: Int
        /// Requests (and error replies) per second per client address; 0 = unlimited.
        public var requestsPerSecondPerClient: Double
        /// Requests a client may make in a burst before the rate applies.
        public var requestBurstPerClient: Double

        public init(
            maximumTransfers: Int = 1024, maximumTransfersPerClient: Int = 64,
            requestsPerSecondPerClient: Double = 50, requestBurstPerClient: Double? = nil
        ) {
            self.maximumTransfers = maximumTransfers
            self.maximumTransfersPerClient = maximumTransfersPerClient
            self.requestsPerSecondPerClient = requestsPerSecondPerClient
            self.requestBurstPerClient = requestBurstPerClient ?? max(requestsPerSecondPerClient * 2, 1)
        }
    }

    public enum Refusal: String, Sendable, Equatable {
        case serverBusy = "server_busy"
        case clientBusy = "client_busy"
        case rateLimited = "rate_limited"
    }

    struct Bucket: Sendable {
        var tokens: Double
        var updated: Duration
    }

    public let limits: Limits
    public private(set) var activeTransfers = 0
    var activeByClient: [Client: Int] = [:]
    var buckets: [Client: Bucket] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Takes one token of the client's request budget; false when it is spent. Every request and
    /// every error reply to a client costs one, so refusals cannot be used for reflection either.
    public mutating func takeRequestToken(for client: Client, now: Duration) -> Bool {
        let rate = limits.requestsPerSecondPerClient
        guard rate > 0 else { return true }
        var bucket = buckets[client] ?? Bucket(tokens: limits.requestBurstPerClient, updated: now)
        let elapsed = Self.seconds(now - bucket.updated)
        bucket.tokens = min(limits.requestBurstPerClient, bucket.tokens + max(elapsed, 0) * rate)
        bucket.updated = now
        guard bucket.tokens >= 1 else {
            buckets[client] = bucket
            return false
        }
        bucket.tokens -= 1
        buckets[client] = bucket
        if buckets.count > 65_536 { forgetIdleBuckets(now: now) }
        return true
    }

    /// Admits a transfer (after its request token was taken): counts it until ``finished(_:)``.
    public mutating func admit(_ client: Client) -> Refusal? {
        if limits.maximumTransfers > 0 && activeTransfers >= limits.maximumTransfers { return .serverBusy }
        let current = activeByClient[client, default: 0]
        if limits.maximumTransfersPerClient > 0 && current >= limits.maximumTransfersPerClient { return .clientBusy }
        activeTransfers += 1
        activeByClient[client] = current + 1
        return nil
    }

    /// A transfer admitted earlier has ended, however it ended.
    public mutating func finished(_ client: Client) {
        guard let current = activeByClient[client] else { return }
        activeTransfers -= 1
        if current <= 1 { activeByClient[client] = nil } else { activeByClient[client] = current - 1 }
    }

    public func activeTransfers(of client: Client) -> Int { activeByClient[client, default: 0] }

    /// Drops buckets that have refilled completely: they carry no information.
    mutating func forgetIdleBuckets(now: Duration) {
        let rate = limits.requestsPerSecondPerClient
        buckets = buckets.filter { _, bucket in
            bucket.tokens + Self.seconds(now - bucket.updated) * rate < limits.requestBurstPerClient
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
