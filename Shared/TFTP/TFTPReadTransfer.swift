/// One read transfer (RRQ) as a pure state machine: the I/O layer feeds it events with the
/// current time (``start(now:)``, ``received(_:now:)``, ``timerFired(now:)``) and performs the
/// ``TFTPTransferActions`` it returns. Time is a `Duration` since any origin the caller picks.
///
/// It knows only the content's size: it says which blocks to send and the I/O layer fetches their
/// bytes (``block(_:)``, ``packets(for:from:)``), reporting a failed read with ``sourceFailed()``.
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
    /// Content size in bytes (after any netascii conversion).
    public let size: Int
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
        size: Int,
        settings: TFTPTransferSettings = .rfc1350Defaults,
        optionAcknowledgement: [TFTPOption] = [],
        policy: TFTPRetransmitPolicy = TFTPRetransmitPolicy()
    ) {
        self.size = size
        self.settings = settings
        self.optionAcknowledgement = optionAcknowledgement
        self.policy = policy
        self.finalBlock = size / settings.blockSize + 1
        let initial = settings.timeoutSeconds.map { Duration.seconds($0) } ?? policy.initialTimeout
        self.currentTimeout = initial
        self.timeoutCap = max(initial, policy.maximumTimeout)
    }

    /// Convenience: a transfer set up from a negotiation result.
    public init(size: Int, agreement: TFTPOptionNegotiation.Agreement, policy: TFTPRetransmitPolicy = TFTPRetransmitPolicy()) {
        self.init(size: size, settings: agreement.settings, optionAcknowledgement: agreement.acknowledgedOptions, policy: policy)
    }

    public var isFinished: Bool { phase == .finished }

    /// Payload bytes of the blocks the client has acknowledged.
    public var bytesAcknowledged: Int { min(lastAcknowledgedBlock * settings.blockSize, size) }

    /// Where block `index` (1…final) lies in the content.
    public func block(_ index: Int) -> TFTPBlock {
        let offset = (index - 1) * settings.blockSize
        return TFTPBlock(index: index, offset: offset, length: max(0, min(settings.blockSize, size - offset)))
    }

    /// The datagrams `actions` asks for, read from `source`: for I/O layers without a faster way
    /// to build DATA, and for tests.
    public func packets(for actions: TFTPTransferActions, from source: some TFTPBlockSource) throws -> [TFTPPacket] {
        var packets = actions.packet.map { [$0] } ?? []
        guard let blocks = actions.blocks else { return packets }
        for index in blocks {
            let block = block(index)
            packets.append(.data(block: block.wireNumber, payload: block.length > 0 ? try source.bytes(at: block.offset, length: block.length) : []))
        }
        return packets
    }

    /// The 16-bit block number sent on the wire for an internal block index.
    static func wireBlock(_ index: Int) -> UInt16 { UInt16(truncatingIfNeeded: index) }
}
