import Testing
@testable import AnvilPower

@Test func powerErrorNamesItsReason() { #expect(PowerError.unreachable("x").reason == "Unreachable") }
