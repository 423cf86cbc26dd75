import AnvilResources
import Synchronization
import Testing
@testable import AnvilAgent

/// The agent's steps against a fake API and a fake machine: which calls, in which order.
@Suite struct AgentRunnerTests {
    final class FakeAPI: AgentAPIClient {
        let answer: RegisterAnswer
        let calls = Mutex<[String]>([])
        let registerFailures: Mutex<Int>

        init(_ answer: RegisterAnswer, registerFailures: Int = 0) {
            self.answer = answer
            self.registerFailures = Mutex(registerFailures)
        }

        func note(_ call: String) { calls.withLock { $0.append(call) } }

        func register(_ registration: Registration) async throws -> RegisterAnswer {
            note("register \(registration.uuid)")
            let fail = registerFailures.withLock { value -> Bool in
                defer { value -= 1 }
                return value > 0
            }
            if fail { throw AgentAPIError(.malformedAnswer, "register answered something that is not a registration answer: \"<html>\"") }
            return answer
        }
        func reportAddresses(uuid: String, _ addresses: [NodeAddress]) async throws { note("addresses \(addresses.map(\.address))") }
        func heartbeat(uuid: String, progress: Double?) async throws { note("heartbeat") }
        func markWiped(uuid: String) async throws { note("wiped") }
        func reportBMC(uuid: String, _ report: BMCReport) async throws { note("bmc \(report.ip):\(report.port) \(report.user ?? "-")") }
    }

    final class FakeSystem: AgentSystem {
        let wipeFails: Bool
        let bmc: BMCReport?
        let wiped = Mutex<[String]>([])
        /// A wipe that lasts until this API has seen a heartbeat.
        let lastsUntilHeartbeatOn: FakeAPI?

        init(wipeFails: Bool = false, bmc: BMCReport? = BMCReport(ip: "10.0.0.9", port: 623, user: "sidero", pass: "x"), lastsUntilHeartbeatOn: FakeAPI? = nil) {
            self.wipeFails = wipeFails
            self.bmc = bmc
            self.lastsUntilHeartbeatOn = lastsUntilHeartbeatOn
        }

        func registration() async throws -> Registration {
            Registration(uuid: "11111111-2222-3333-4444-555555555555", hardware: HardwareInformation(system: SystemInformation(manufacturer: "Acme")))
        }
        func addresses() async -> [NodeAddress] { [NodeAddress(type: "InternalIP", address: "10.0.2.15")] }
        func wipeTargets() async -> [WipeTarget] { [WipeTarget(devicePath: "/dev/vda", size: 1 << 30)] }
        func wipe(_ targets: [WipeTarget], mode: WipeMode, progress: @escaping @Sendable (Double) -> Void) async throws -> [String] {
            if wipeFails { throw WipeError("/dev/vda", "cannot open for writing: Read-only file system") }
            progress(0.5)
            let end = ContinuousClock.now + .seconds(30)
            while let api = lastsUntilHeartbeatOn, !api.calls.withLock({ $0.contains("heartbeat") }), ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(5))
            }
            wiped.withLock { $0.append("\(mode)") }
            progress(1)
            return ["/dev/vda: 1 GiB zeroed"]
        }
        func setupBMC() async -> BMCReport? { bmc }
    }

    func run(_ api: FakeAPI, _ system: FakeSystem) async -> (AgentRunner.Outcome, [String]) {
        let lines = Mutex<[String]>([])
        let runner = AgentRunner(api: api, system: system, log: { line in lines.withLock { $0.append(line) } }, sleep: { _ in })
        let outcome = await runner.run()
        return (outcome, lines.withLock { $0 })
    }

    @Test func anUnacceptedServerRegistersReportsAddressesAndAsksToReboot() async {
        let api = FakeAPI(RegisterAnswer(accepted: false))
        let (outcome, lines) = await run(api, FakeSystem())
        #expect(outcome == .notAccepted)
        #expect(api.calls.withLock { $0 } == ["register 11111111-2222-3333-4444-555555555555", "addresses [\"10.0.2.15\"]"])
        #expect(lines.contains { $0.contains("anvil accept 11111111-2222-3333-4444-555555555555") })
    }

    @Test func anAcceptedDirtyServerIsWipedMarkedCleanAndItsBMCReported() async {
        // A heartbeat every 30 ms (0.09 s / 3) while the wipe runs; the wipe lasts until one came.
        let api = FakeAPI(RegisterAnswer(accepted: true, wipe: true, insecureWipe: true, setupBMC: true, rebootTimeoutSeconds: 0.09))
        let system = FakeSystem(lastsUntilHeartbeatOn: api)
        let lines = Mutex<[String]>([])
        let runner = AgentRunner(api: api, system: system, log: { line in lines.withLock { $0.append(line) } })
        #expect(await runner.run() == .done)
        let calls = api.calls.withLock { $0 }.filter { $0 != "heartbeat" }
        #expect(calls == ["register 11111111-2222-3333-4444-555555555555", "addresses [\"10.0.2.15\"]", "wiped", "bmc 10.0.0.9:623 sidero"])
        #expect(api.calls.withLock { $0 }.contains("heartbeat"))
        #expect(system.wiped.withLock { $0 } == ["fast"])
        #expect(lines.withLock { $0 }.contains("wipe: done, server marked clean"))
    }

    @Test func aFailedWipeIsNotMarkedCleanAndEndsTheRun() async {
        let api = FakeAPI(RegisterAnswer(accepted: true, wipe: true, setupBMC: true))
        let (outcome, lines) = await run(api, FakeSystem(wipeFails: true))
        guard case .failed(let reason) = outcome else { Issue.record("\(outcome)"); return }
        #expect(reason.contains("Read-only file system"))
        #expect(!api.calls.withLock { $0 }.contains("wiped"))
        #expect(lines.contains { $0.hasPrefix("wipe failed: /dev/vda: cannot open for writing") })
    }

    @Test func aBMCThatCouldNotBeSetUpIsNotReportedAndIsNotFatal() async {
        let api = FakeAPI(RegisterAnswer(accepted: true, setupBMC: true))
        let (outcome, lines) = await run(api, FakeSystem(bmc: nil))
        #expect(outcome == .done)
        #expect(!api.calls.withLock { $0 }.contains { $0.hasPrefix("bmc") })
        #expect(lines.contains { $0.hasPrefix("bmc: not set up") })
    }

    @Test func garbageFromTheAPIIsRetriedAndLogged() async {
        let api = FakeAPI(RegisterAnswer(accepted: true), registerFailures: 2)
        let (outcome, lines) = await run(api, FakeSystem())
        #expect(outcome == .done)
        #expect(lines.filter { $0.hasPrefix("register failed: register answered something that is not a registration answer") }.count == 2)
    }
}
