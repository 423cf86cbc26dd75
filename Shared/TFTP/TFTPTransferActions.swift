/// What the I/O layer must do after feeding an event to a ``TFTPReadTransfer``, in this order:
/// send ``packet``, send the DATA ``blocks``, re-arm the timer for ``deadline``, end with
/// ``outcome``. All nil means the event was dropped (duplicate ACK, stale timer, packet of no use).
///
/// A value, not a list: an event costs no allocation, and the blocks of a window are a range the
/// I/O layer can send from contiguous memory (one UDP GSO write).
public struct TFTPTransferActions: Sendable, Equatable {
    /// An OACK, or the ERROR that ends a transfer whose source failed.
    public internal(set) var packet: TFTPPacket?
    /// Block indices (1-based, see ``TFTPReadTransfer/block(_:)``) to send, in order.
    public internal(set) var blocks: ClosedRange<Int>?
    /// (Re)arm the single retransmission timer; it replaces any earlier deadline.
    public internal(set) var deadline: Duration?
    /// The transfer is over; cancel the timer and release its TID.
    public internal(set) var outcome: TFTPTransferOutcome?

    public init(packet: TFTPPacket? = nil, blocks: ClosedRange<Int>? = nil, deadline: Duration? = nil, outcome: TFTPTransferOutcome? = nil) {
        self.packet = packet
        self.blocks = blocks
        self.deadline = deadline
        self.outcome = outcome
    }

    /// Nothing to do.
    public static let none = TFTPTransferActions()

    public var isEmpty: Bool { self == .none }

    /// Datagrams this asks to send.
    public var packetCount: Int { (packet == nil ? 0 : 1) + (blocks?.count ?? 0) }
}

/// One DATA block of a transfer: where its payload lies in the content and its number on the wire.
public struct TFTPBlock: Sendable, Equatable {
    /// 1-based position in the transfer (never wraps).
    public let index: Int
    /// The low 16 bits of ``index``: block numbers roll over to 0 after 65535.
    public var wireNumber: UInt16 { UInt16(truncatingIfNeeded: index) }
    public let offset: Int
    /// Payload bytes; the final block is shorter than the block size, possibly empty.
    public let length: Int

    public init(index: Int, offset: Int, length: Int) {
        self.index = index
        self.offset = offset
        self.length = length
    }
}

/// How a transfer ended.
public enum TFTPTransferOutcome: Sendable, Equatable {
    /// The final (short or empty) block was acknowledged.
    case completed
    /// The client sent ERROR: a normal end, not reported back (RFC 1350 §7; PXE ROMs abort after
    /// a tsize probe with ERROR 8 and ask again).
    case abortedByClient(TFTPErrorCode, message: String)
    case failed(TFTPTransferFailure)
}

public enum TFTPTransferFailure: Error, Sendable, Equatable {
    /// The retry budget ran out without an ACK making progress.
    case clientStoppedAcknowledging
    /// The source could not be read; ERROR 0 was sent to the client.
    case sourceUnreadable
    /// The server ended it (shutting down); nothing more is sent.
    case cancelled
}
