/// When to resend and when to give up (RFC 1123 §4.2.3.2: adaptive timeout; retries bounded).
public struct TFTPRetransmitPolicy: Sendable, Equatable {
    /// First timeout when the client negotiated none (RFC 2349 `timeout` overrides it).
    public var initialTimeout: Duration
    /// The timeout doubles on every retransmission up to this cap (or the negotiated one if larger).
    public var maximumTimeout: Duration
    /// Retransmissions in a row without progress before the transfer fails.
    public var maximumRetries: Int

    public init(initialTimeout: Duration = .seconds(1), maximumTimeout: Duration = .seconds(8), maximumRetries: Int = 5) {
        self.initialTimeout = initialTimeout
        self.maximumTimeout = maximumTimeout
        self.maximumRetries = maximumRetries
    }
}
