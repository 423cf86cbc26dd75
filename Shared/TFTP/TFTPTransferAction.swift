/// What the I/O layer must do after feeding an event to a ``TFTPReadTransfer``. An empty list
/// means the event was dropped (duplicate ACK, stale timer, packet of no use).
public enum TFTPTransferAction: Sendable, Equatable {
    /// Send this packet to the client's TID.
    case send(TFTPPacket)
    /// (Re)arm the single retransmission timer; it replaces any earlier deadline.
    case armTimer(deadline: Duration)
    /// The transfer is over; cancel the timer and release its TID.
    case finish(TFTPTransferOutcome)
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
