import Testing

@testable import AnvilPower

@Suite struct RedfishResetPlanTests {
    static let everything = ["On", "ForceOff", "GracefulShutdown", "ForceRestart", "PowerCycle"]
    /// What sushy-emulator's fake systems offer: no PowerCycle.
    static let sushy = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn"]

    @Test func mapsEachActionToItsResetType() throws {
        #expect(try RedfishResetPlan.steps(for: .on, poweredOn: false, offered: Self.everything) == [.reset("On")])
        #expect(try RedfishResetPlan.steps(for: .off, poweredOn: true, offered: Self.everything) == [.reset("ForceOff")])
        #expect(try RedfishResetPlan.steps(for: .softOff, poweredOn: true, offered: Self.everything)
            == [.reset("GracefulShutdown")])
        #expect(try RedfishResetPlan.steps(for: .reset, poweredOn: true, offered: Self.everything)
            == [.reset("ForceRestart")])
        #expect(try RedfishResetPlan.steps(for: .cycle, poweredOn: true, offered: Self.everything)
            == [.reset("PowerCycle")])
    }

    @Test func cycleWithoutPowerCycleIsForceOffThenOn() throws {
        #expect(try RedfishResetPlan.steps(for: .cycle, poweredOn: true, offered: Self.sushy)
            == [.reset("ForceOff"), .waitUntilOff, .reset("On")])
    }

    @Test func cycleOfAMachineThatIsOffPowersItOn() throws {
        #expect(try RedfishResetPlan.steps(for: .cycle, poweredOn: false, offered: Self.everything) == [.reset("On")])
        #expect(try RedfishResetPlan.steps(for: .cycle, poweredOn: false, offered: ["ForceOn", "ForceOff"])
            == [.reset("ForceOn")])
    }

    @Test func nothingToDoWhenAlreadyThere() throws {
        #expect(try RedfishResetPlan.steps(for: .on, poweredOn: true, offered: Self.everything) == [])
        #expect(try RedfishResetPlan.steps(for: .off, poweredOn: false, offered: Self.everything) == [])
        #expect(try RedfishResetPlan.steps(for: .softOff, poweredOn: false, offered: Self.everything) == [])
    }

    @Test func anUnadvertisedListAllowsEveryType() throws {
        #expect(try RedfishResetPlan.steps(for: .cycle, poweredOn: true, offered: nil) == [.reset("PowerCycle")])
    }

    @Test func aTypeTheSystemDoesNotOfferIsNotSupported() {
        #expect(throws: PowerError.notSupported(
            "the system offers no ResetType for soft power-off (wanted GracefulShutdown; it offers On, ForceOff)")) {
            try RedfishResetPlan.steps(for: .softOff, poweredOn: true, offered: ["On", "ForceOff"])
        }
        #expect(throws: PowerError.self) {
            try RedfishResetPlan.steps(for: .cycle, poweredOn: true, offered: ["On"])
        }
    }
}
