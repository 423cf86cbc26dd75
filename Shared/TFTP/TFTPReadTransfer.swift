/// One read transfer (RRQ) as a pure state machine: the I/O layer feeds it events with the
/// current time (``start(now:)``, ``received(_:now:)``, ``timerFired(now:)``) and performs the
/// ``TFTPTransferAction``s it returns. Time is a `Duration` since any origin the caller picks.
///
/// Blocks are numbered 1… internally and sent as the low 16 bits, so they wrap to 0 after 65535
/// (the common Go/tftp-hpa "rollover to 0" behaviour).
public struct TFTPReadTransfer: Sendable {
    enum Phase: Sendable, Equatable {
        case notStarted
        /// OACK sent; waiting for ACK 0 (RFC 2347).
        case awaitingOptionAcknowledgement
        /// DATA flowing; waiting for the ACK of ``highestSentBlock``.
        case sending
        case finished
    }

    public let settings: TFTPTransferSettings
    /// Options to acknowledge with an OACK before DATA; empty → DATA 1 straight away.
    public let optionAcknowledgement: [TFTPOption]
    public let policy: TFTPRetransmitPolicy
    let source: any TFTPBlockSource
    /// Index of the final block, the first one shorter than the block size (possibly empty).
    let finalBlock: Int

    var phase = Phase.notStarted
    /// Highest block the client acknowledged in order (0 = none, or the OACK).
    var lastAcknowledgedBlock = 0
    /// Highest block of the window in flight.
    var highestSentBlock = 0
    var currentTimeout: Duration
    let timeoutCap: Duration
    var retriesWithoutProgress = 0
    var deadline: Duration?

    /// Packets sent again because a timer fired (for metrics).
    public internal(set) var retransmittedPackets = 0
    /// Datagram bytes sent so far, retransmissions included.
    public internal(set) var bytesSent = 0
    /// Set once the transfer has finished.
    public internal(set) var outcome: TFTPTransferOutcome?

    /// `settings.windowSize > 1` should come with a `windowsize` option to acknowledge (as
    /// ``TFTPOptionNegotiation`` produces); otherwise a whole window goes out before the first ACK.
    public init(
        source: any TFTPBlockSource,
        settings: TFTPTransferSettings = .rfc1350Defaults,
        optionAcknowledgement: [TFTPOption] = [],
        policy: TFTPRetransmitPolicy = TFTPRetransmitPolicy()
    ) {
        self.source = source
        self.settings = settings
        self.optionAcknowledgement = optionAcknowledgement
        self.policy = policy
        self.finalBlock = source.size / settings.blockSize + 1
        let initial = settings.timeoutSeconds.map { Duration.seconds($0) } ?? policy.initialTimeout
        self.currentTimeout = initial
        self.timeoutCap = max(initial, policy.maximumTimeout)
    }

    /// Convenience: a transfer set up from a negotiation result.
    public init(source: any TFTPBlockSource, agreement: TFTPOptionNegotiation.Agreement, policy: TFTPRetransmitPolicy = TFTPRetransmitPolicy()) {
        self.init(source: source, settings: agreement.settings, optionAcknowledgement: agreement.acknowledgedOptions, policy: policy)
    }

    public var isFinished: Bool { phase == .finished }

    /// Payload bytes of the blocks the client has acknowledged.
    public var bytesAcknowledged: Int { min(lastAcknowledgedBlock * settings.blockSize, source.size) }

    /// The 16-bit block number sent on the wire for an internal block index.
    static func wireBlock(_ index: Int) -> UInt16 { UInt16(truncatingIfNeeded: index) }
}
