import AnvilResources
import AnvilStore
import Foundation
import Testing
@testable import ReconcilerCore

/// Sidero's Server state machine as a pure function (docs/sidero-controllers.md §5.1 is the contract).
@Suite struct ServerLifecycleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let settings = ServerLifecycle.Settings(rebootTimeout: .seconds(600), powerCheckPeriod: .seconds(300), attempts: 3)

    func server(accepted: Bool = true, clean: Bool = false, inUse: Bool = false, conditions: [Condition] = []) -> Server {
        Server(
            metadata: ObjectMeta(name: "4c4c4544-0000-0000-0000-000000000001"),
            spec: ServerSpec(accepted: accepted),
            status: ServerStatus(inUse: inUse, isClean: clean, conditions: conditions))
    }

    func binding(installed: Bool = false) -> ServerBinding {
        ServerBinding(
            metadata: ObjectMeta(name: "4c4c4544-0000-0000-0000-000000000001"),
            spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m")),
            status: ServerBindingStatus(conditions: installed ? [Condition(type: ServerBinding.conditionTalosInstalled, status: "True")] : nil))
    }

    @Test func notAcceptedIsNeverPoweredAndNotClean() {
        let status = ServerLifecycle.status(of: server(accepted: false, clean: true), binding: nil, now: now)
        #expect(!status.isClean)
        #expect(!status.ready)
        let plan = ServerLifecycle.plan(for: server(accepted: false), bound: false, now: now, settings: settings)
        #expect(plan.power == .none)
    }

    @Test func acceptedDirtyUnboundIsWiped() {
        let plan = ServerLifecycle.plan(for: server(), bound: false, now: now, settings: settings)
        #expect(plan.power == .wipe)
        #expect(plan.requeue == .seconds(601))
    }

    @Test func aWipeUnderWayWaitsForTheRebootTimeoutAndHeartbeatsPushItForward() {
        let started = Condition(
            type: Server.conditionPowerCycle, status: "False", lastTransitionTime: Timestamp.rfc3339(now.addingTimeInterval(-200)), reason: "InProgress")
        let waiting = ServerLifecycle.plan(for: server(conditions: [started]), bound: false, now: now, settings: settings)
        #expect(waiting.power == .none)
        #expect(waiting.requeue == .seconds(401))
        let overdue = ServerLifecycle.plan(
            for: server(conditions: [started]), bound: false, now: now.addingTimeInterval(401), settings: settings)
        #expect(overdue.power == .wipe)
    }

    @Test func cleanUnboundIsPoweredOffAndReady() {
        let status = ServerLifecycle.status(of: server(clean: true), binding: nil, now: now)
        #expect(status.ready)
        #expect(!status.inUse)
        let plan = ServerLifecycle.plan(for: server(clean: true), bound: false, now: now, settings: settings)
        #expect(plan.power == .ensureOff)
    }

    @Test func boundIsInUseDirtyAndPoweredOnWithARecheck() {
        let status = ServerLifecycle.status(of: server(clean: true), binding: binding(), now: now)
        #expect(status.inUse)
        #expect(!status.isClean)
        #expect(!status.ready)
        var bound = server()
        bound.status = status
        let plan = ServerLifecycle.plan(for: bound, bound: true, now: now, settings: settings)
        #expect(plan.power == .ensureOnForInstall)
        #expect(plan.requeue == .seconds(20), "not installed yet: rechecked every 20 s (a BMC lying 'on' must not hold the install back)")
        bound.status.setCondition(Condition(type: Server.conditionPXEBooted, status: "True"))
        let installed = ServerLifecycle.plan(for: bound, bound: true, now: now, settings: settings)
        #expect(installed.requeue == .seconds(300), "installed: every power check period")
    }

    @Test func anInstalledBindingMarksPXEBooted() {
        let status = ServerLifecycle.status(of: server(), binding: binding(installed: true), now: now)
        #expect(status.condition(Server.conditionPXEBooted)?.status == "True")
        var installed = server()
        installed.status = status
        #expect(installed.lifecycleState == "booted")
    }

    @Test func releaseClearsInUseAndPXEBooted() {
        let booted = server(inUse: true, conditions: [Condition(type: Server.conditionPXEBooted, status: "True")])
        let status = ServerLifecycle.status(of: booted, binding: nil, now: now)
        #expect(!status.inUse)
        #expect(status.condition(Server.conditionPXEBooted) == nil)
        #expect(!status.isClean)
        var released = booted
        released.status = status
        #expect(ServerLifecycle.plan(for: released, bound: false, now: now, settings: settings).power == .wipe)
    }

    @Test func attemptsCountPerStepAndAStallStopsEverything() {
        var status = ServerStatus()
        #expect(ServerLifecycle.countAttempt("Wipe", in: &status, now: now) == 1)
        #expect(ServerLifecycle.countAttempt("Wipe", in: &status, now: now) == 2)
        #expect(ServerLifecycle.attempts(of: "Wipe", in: status) == 2)
        #expect(ServerLifecycle.countAttempt("Power", in: &status, now: now) == 1, "another step starts again")
        ServerLifecycle.stall(&status, reason: "WipeNotReported", message: "m", now: now)
        var stalled = server()
        stalled.status = status
        let plan = ServerLifecycle.plan(for: stalled, bound: false, now: now, settings: settings)
        #expect(plan.power == .none)
        status.clearLifecycleAttempts()
        #expect(status.conditions?.isEmpty == true)
    }

    @Test func powerRetriesDoubleFrom30SecondsUpTo5Minutes() {
        let delays = (1...7).map { ServerLifecycle.powerRetryDelay(afterFailures: $0, settings: settings) }
        #expect(delays == [30, 60, 120, 240, 300, 300, 300].map { Duration.seconds($0) })
    }
}
