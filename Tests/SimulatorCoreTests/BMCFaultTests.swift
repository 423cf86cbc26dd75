import AnvilIPMI
import SimulatorCore
import Testing

/// The faults `SimulatedBMC` applies around its state machine (docs/simulator.md "BMC").
@Suite struct BMCFaultTests {
    static let ping = ASFPresencePing.encode(tag: 1)

    @Test func dropsTheGivenFractionOfDatagrams() {
        let bmc = SimulatedBMC(chassis: SimulatedChassis(), password: "pw", faults: BMCFaults(packetLoss: 0.3))
        let sent = 10_000
        let answered = (0..<sent).filter { _ in bmc.handle(Self.ping) != nil }.count
        // 3000 expected drops; the standard deviation is about 46, so ±300 never fails by chance.
        #expect((6_700...7_300).contains(answered), "\(answered) of \(sent) answered")
        #expect(bmc.statistics.datagramsDropped == sent - answered)
        #expect(bmc.statistics.datagramsReceived == sent)
    }

    @Test func freezesForeverAfterTheGivenNumberOfAnswers() {
        let bmc = SimulatedBMC(chassis: SimulatedChassis(), password: "pw", faults: BMCFaults(freezeAfter: 3))
        let answers = (0..<10).map { _ in bmc.handle(Self.ping) != nil }
        #expect(answers == [true, true, true] + Array(repeating: false, count: 7))
        #expect(bmc.isFrozen)
        #expect(bmc.statistics.datagramsAnswered == 3)
    }

    @Test func holdsInSessionAnswersOnlyWhenSlow() {
        let bmc = SimulatedBMC(chassis: SimulatedChassis(), password: "pw", faults: BMCFaults(commandDelay: .milliseconds(250)))
        // Session-less answers are not held: only commands are slow on the BMCs this models.
        #expect(bmc.handle(Self.ping)?.delay == .zero)
        var machine = BMCMachine(password: "pw")
        var console = BMCTestConsole(password: "pw")
        #expect(console.open(&machine) == .opened)
        #expect(machine.receive(console.datagram(GetDeviceID.request()), chassis: BMCChassisView(isPoweredOn: false), now: .now).inSession)
    }

    @Test func appliesFaultsChangedAtRunTime() {
        let bmc = SimulatedBMC(chassis: SimulatedChassis(), password: "pw")
        #expect(bmc.handle(Self.ping) != nil)
        bmc.setFaults(BMCFaults(packetLoss: 1))
        #expect(bmc.handle(Self.ping) == nil)
        bmc.setFaults(.none)
        #expect(bmc.handle(Self.ping) != nil)
    }
}
