import Testing

@testable import AnvilIPMI

@Suite("Inbound session sequence window (spec §6.12.13)")
struct SequenceWindowTests {
    /// Feeds numbers in order and returns what the window said to each.
    static func feed(_ sequences: [UInt32], to window: inout IPMISequenceWindow) -> [Bool] {
        sequences.map { window.accept($0) }
    }

    @Test("in-order numbers are accepted once; replays refused")
    func inOrderAndReplay() {
        var window = IPMISequenceWindow()
        for sequence: UInt32 in 1...40 {
            #expect(Self.feed([sequence, sequence], to: &window) == [true, false])
        }
    }

    @Test("zero is never accepted")
    func zero() {
        var window = IPMISequenceWindow()
        #expect(Self.feed([0, 1, 0], to: &window) == [false, true, false])
    }

    @Test("old-but-in-window is accepted once; older is refused")
    func lateArrivals() {
        var window = IPMISequenceWindow()
        // 105 was skipped and arrives late; 100 is a replay; 94 is 16 behind 110, 93 is 17 behind.
        let results = Self.feed([100, 110, 105, 105, 100, 94, 93], to: &window)
        #expect(results == [true, true, true, false, false, true, false])
    }

    @Test("far-future numbers are refused; up to 15 ahead is fine")
    func farFuture() {
        var window = IPMISequenceWindow()
        let results = Self.feed([1, 17, 16, 0xFFFF_0000, 31], to: &window)
        #expect(results == [true, false, true, false, true])
    }

    @Test("the window survives 32-bit wrap-around")
    func wrapAround() {
        var window = IPMISequenceWindow()
        let results = Self.feed([0xFFFF_FFFE, 0xFFFF_FFFF, 1, 0xFFFF_FFFF, 0xFFFF_FFFD, 2], to: &window)
        #expect(results == [true, true, true, false, true, true])
    }

    @Test("a custom size narrows the window")
    func customSize() {
        var window = IPMISequenceWindow(size: 8, aheadLimit: 8)
        #expect(Self.feed([50, 58, 51, 49, 67], to: &window) == [true, true, true, false, false])
    }
}
