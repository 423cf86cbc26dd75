import NIOCore
import Synchronization

/// Whether windows go out as UDP GSO writes (Linux `UDP_SEGMENT`): on when the kernel supports it
/// and not turned off, and switched off for good after the first write a device refuses.
final class TFTPSegmentationOffload: Sendable {
    /// The kernel's limit on segments per GSO write (UDP_MAX_SEGMENTS).
    static let maximumSegments = 64
    /// One GSO write must fit a UDP datagram's length field.
    static let maximumBytes = 65_000

    private let enabled: Atomic<Bool>

    init(requested: Bool) {
        enabled = Atomic(requested && System.supportsUDPSegmentationOffload)
    }

    var isEnabled: Bool { enabled.load(ordering: .relaxed) }

    /// Turns it off; true the first time only.
    func disable() -> Bool {
        enabled.exchange(false, ordering: .relaxed)
    }
}
