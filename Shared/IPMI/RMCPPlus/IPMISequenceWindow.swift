/// Inbound session sequence numbers: each accepted once, within a window around the highest seen (IPMI v2.0 spec §6.12.13).
///
/// RMCP+ allows a 32-number window: up to 16 behind the highest number received and up to 15 ahead of it
/// (OpenIPMI's reading of the spec: `check_20_session_seq_num`, lanserv's `diff < -16 || diff > 15`).
/// Zero is never a valid in-session number. Distances are taken modulo 2³², so the window survives wrap-around.
public struct IPMISequenceWindow: Sendable, Hashable {
    /// How far behind the highest number a late packet may be (at most 63).
    public let size: UInt32
    /// How far ahead of the highest number a packet may jump.
    public let aheadLimit: UInt32
    private var highest: UInt32 = 0
    /// Bit i set: `highest - (i + 1)` has been accepted.
    private var seenBehind: UInt64 = 0

    /// `aheadLimit` defaults to `size - 1` (15 for the RMCP+ default of 16).
    public init(size: UInt32 = 16, aheadLimit: UInt32? = nil) {
        let clamped = min(max(size, 1), 63)
        self.size = clamped
        self.aheadLimit = aheadLimit ?? clamped - 1
    }

    /// True the first time an in-window number is seen; false for zero, replays and numbers outside the window.
    /// The first number of a session is taken as the starting point, whatever it is.
    public mutating func accept(_ sequence: UInt32) -> Bool {
        guard sequence != 0 else { return false }
        guard highest != 0 else {
            highest = sequence
            return true
        }
        let ahead = sequence &- highest
        if ahead != 0, ahead <= aheadLimit {
            seenBehind = ahead >= 64 ? 0 : (seenBehind << UInt64(ahead))
            if ahead <= 64 { seenBehind |= 1 << UInt64(ahead - 1) }
            highest = sequence
            return true
        }
        let behind = highest &- sequence
        guard behind != 0, behind <= size else { return false }
        let bit: UInt64 = 1 << UInt64(behind - 1)
        guard seenBehind & bit == 0 else { return false }
        seenBehind |= bit
        return true
    }
}
