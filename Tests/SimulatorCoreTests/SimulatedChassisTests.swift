import SimulatorCore
import Testing

@Suite struct SimulatedChassisTests {
    @Test func aOneTimeOverrideIsConsumedAtPowerOn() async {
        let chassis = SimulatedChassis()
        var events = chassis.events().makeAsyncIterator()
        chassis.setNextBoot(.disk)
        chassis.powerOn()
        #expect(await events.next() == .boot(.disk))
        #expect(chassis.nextBoot == nil)
        chassis.reset()
        #expect(await events.next() == .boot(.network))
        chassis.powerOff()
        #expect(await events.next() == .off)
        chassis.reset()  // nothing while off
        chassis.setNextBoot(.network, persistent: true)
        chassis.powerCycle()
        #expect(await events.next() == .boot(.network))
        #expect(chassis.nextBoot?.persistent == true)
        #expect(chassis.bootCount == 3)
    }
}
