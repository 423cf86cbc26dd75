import Testing
@testable import AnvilAgent

@Suite struct WipePlanTests {
    let mib: UInt64 = 1 << 20

    @Test func fastZeroesTheFirstAndLastMiBAfterADiscard() {
        let plan = WipePlan(size: 2048 * mib, mode: .fast)
        #expect(plan.discardWholeDevice)
        #expect(plan.zeroRanges == [ByteRange(offset: 0, length: mib), ByteRange(offset: 2047 * mib, length: mib)])
        #expect(plan.bytesToZero == 2 * mib)
    }

    @Test func fastOnADiskOfTwoMiBOrLessZeroesItAllOnce() {
        #expect(WipePlan(size: 2 * mib, mode: .fast).zeroRanges == [ByteRange(offset: 0, length: 2 * mib)])
        #expect(WipePlan(size: 1536 * 1024, mode: .fast).zeroRanges == [ByteRange(offset: 0, length: 1536 * 1024)])
        // Just over 2 MiB: two ranges that touch but do not overlap.
        let odd = WipePlan(size: 2 * mib + 512, mode: .fast).zeroRanges
        #expect(odd == [ByteRange(offset: 0, length: mib), ByteRange(offset: mib + 512, length: mib)])
        #expect(WipePlan(size: 0, mode: .fast).zeroRanges.isEmpty)
    }

    @Test func fullCoversEveryByteInChunks() {
        let plan = WipePlan(size: 200 * mib + 4096, mode: .full, chunk: 64 * mib)
        #expect(!plan.discardWholeDevice)
        #expect(plan.zeroRanges.map(\.length) == [64 * mib, 64 * mib, 64 * mib, 8 * mib + 4096])
        #expect(plan.zeroRanges.first?.offset == 0)
        #expect(plan.zeroRanges.last?.end == 200 * mib + 4096)
        for (a, b) in zip(plan.zeroRanges, plan.zeroRanges.dropFirst()) { #expect(a.end == b.offset) }
        #expect(plan.bytesToZero == 200 * mib + 4096)
    }
}

@Suite struct AgentPlanTests {
    @Test func notAcceptedIsNeverWiped() {
        #expect(AgentPlan(answer: RegisterAnswer(accepted: false, wipe: true)).steps == [.reportAddresses])
        // `--bmc-setup-at discovery`: metadatad asks for the BMC before acceptance.
        #expect(AgentPlan(answer: RegisterAnswer(accepted: false, wipe: true, setupBMC: true)).steps == [.reportAddresses, .setupBMC])
    }

    @Test func acceptedDirtyServerWipesThenSetsUpTheBMC() {
        #expect(AgentPlan(answer: RegisterAnswer(accepted: true, wipe: true, insecureWipe: true, setupBMC: true)).steps == [.reportAddresses, .wipe(.fast), .setupBMC])
        #expect(AgentPlan(answer: RegisterAnswer(accepted: true, wipe: true)).steps == [.reportAddresses, .wipe(.full)])
        #expect(AgentPlan(answer: RegisterAnswer(accepted: true, setupBMC: true)).steps == [.reportAddresses, .setupBMC])
    }

    @Test func heartbeatsComeThreeTimesPerRebootTimeout() {
        #expect(AgentPlan(answer: RegisterAnswer(accepted: true, rebootTimeoutSeconds: 1200)).heartbeatInterval == .seconds(400))
        #expect(AgentPlan(answer: RegisterAnswer(accepted: true, rebootTimeoutSeconds: 0)).heartbeatInterval == .milliseconds(10))
    }
}
