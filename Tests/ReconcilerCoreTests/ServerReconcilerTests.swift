import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation
import Logging
import Synchronization
import Testing
@testable import ReconcilerCore

/// Power that records every command, with a power state that can lie or fail.
final class RecordingPower: ServerPowerControl {
    struct State {
        var on: [String: Bool] = [:]
        var calls: [String] = []
        var lies = false
        var failure: PowerCommandFailed?
    }

    let state = Mutex(State())

    var calls: [String] { state.withLock { $0.calls } }
    func clear() { state.withLock { $0.calls = [] } }

    private func command(_ call: String, _ server: String, _ change: (inout State) -> Void = { _ in }) throws {
        try state.withLock { state in
            state.calls.append(call)
            if let failure = state.failure { throw failure }
            change(&state)
        }
    }

    func isPoweredOn(_ server: String) async throws -> Bool {
        try command("status", server)
        return state.withLock { $0.lies ? !($0.on[server] ?? false) : ($0.on[server] ?? false) }
    }

    func pxeOnce(_ server: String) async throws { try command("pxe", server) }
    func on(_ server: String) async throws { try command("on", server) { $0.on[server] = true } }
    func off(_ server: String) async throws { try command("off", server) { $0.on[server] = false } }
    func cycle(_ server: String) async throws { try command("cycle", server) { $0.on[server] = true } }
}

/// A clock the test moves.
final class TestClock: Sendable {
    private let value = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    func now() -> Date { value.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The Server controller's transitions (docs/sidero-controllers.md §5.1) against a real store and recorded power.
@Suite struct ServerReconcilerTests {
    static let uuid = "4c4c4544-0000-0000-0000-00000000000a"

    final class Harness: Sendable {
        let directory: URL
        let store: Store
        let power = RecordingPower()
        let events: EventBatchRecorder
        let clock = TestClock()
        let reconciler: ServerReconciler

        init(attempts: Int = 3) async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-servers-\(UUID().uuidString)")
            store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate)
            events = EventBatchRecorder(store: store, source: "test", logger: Logger(label: "test"))
            let clock = self.clock
            reconciler = ServerReconciler(
                store: store, power: power, events: events,
                settings: ServerLifecycle.Settings(rebootTimeout: .seconds(600), powerCheckPeriod: .seconds(300), attempts: attempts),
                logger: Logger(label: "test"), clock: { clock.now() })
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func advance(_ seconds: TimeInterval) { clock.advance(seconds) }

        @discardableResult
        func reconcile() async throws -> ReconcileResult { try await reconciler.reconcile(ServerReconcilerTests.uuid) }

        func server() async throws -> Server { try Server(try await store.get(kind: "Server", name: ServerReconcilerTests.uuid)) }

        func create(accepted: Bool = true) async throws {
            _ = try await store.seed(Server(metadata: ObjectMeta(name: ServerReconcilerTests.uuid), spec: ServerSpec(accepted: accepted)).resource)
        }

        func setStatus(_ change: @escaping @Sendable (inout ServerStatus) -> Void) async throws {
            _ = try await store.mutate(kind: "Server", name: ServerReconcilerTests.uuid) { resource in
                var server = try Server(resource)
                change(&server.status)
                resource = server.resource
            }
        }

        /// What the agent's `wiped` call writes.
        func agentReportsWiped() async throws {
            try await setStatus { status in
                status.isClean = true
                status.setCondition(Condition(type: Server.conditionPowerCycle, status: "True"))
            }
        }

        func bind() async throws {
            _ = try await store.seed(ServerBinding(
                metadata: ObjectMeta(name: ServerReconcilerTests.uuid),
                spec: ServerBindingSpec(metalMachineRef: ObjectReference(kind: "MetalMachine", namespace: "default", name: "m"))).resource)
        }

        func reasons() async throws -> [String] {
            await events.flush()
            return try await store.events(kind: "Server", name: ServerReconcilerTests.uuid).map(\.reason)
        }
    }

    @Test func notAcceptedIsNeverPowered() async throws {
        let harness = try await Harness()
        try await harness.create(accepted: false)
        #expect(try await harness.reconcile() == .done)
        #expect(harness.power.calls.isEmpty)
        #expect(try await harness.server().metadata.finalizers == [ServerLifecycle.finalizer])
    }

    @Test func wipeThenPowerOffThenInstallThenReleaseAndWipeAgain() async throws {
        let harness = try await Harness()
        try await harness.create()
        // Accepted, dirty, unbound: PXE once, and on (it was off: a cycle would fail on some BMCs).
        #expect(try await harness.reconcile() == .requeue(after: .seconds(601)))
        #expect(harness.power.calls == ["pxe", "status", "on"])
        var server = try await harness.server()
        #expect(server.status.condition(Server.conditionPowerCycle)?.status == "False")
        #expect(ServerLifecycle.attempts(of: "Wipe", in: server.status) == 1)
        // Waiting for the agent: no second cycle before the reboot timeout.
        harness.power.clear()
        harness.advance(100)
        #expect(try await harness.reconcile() == .requeue(after: .seconds(501)))
        #expect(harness.power.calls.isEmpty)
        // Wiped: clean and unallocated → powered off, ready.
        try await harness.agentReportsWiped()
        try await harness.reconcile()
        #expect(harness.power.calls == ["status", "off"])
        server = try await harness.server()
        #expect(server.status.ready)
        #expect(server.status.condition(ServerLifecycle.conditionAttempts) == nil, "a wipe reported forgets the attempts")
        // Bound: PXE once and on; in use, not clean; rechecked every 20 s until installed.
        harness.power.clear()
        try await harness.bind()
        #expect(try await harness.reconcile() == .requeue(after: .seconds(20)))
        #expect(harness.power.calls == ["status", "pxe", "on"])
        server = try await harness.server()
        #expect(server.status.inUse)
        #expect(!server.status.isClean)
        #expect(!server.status.ready)
        // Released: not in use, dirty → wiped again (it is on: cycled).
        harness.power.clear()
        _ = try await harness.store.delete(kind: "ServerBinding", name: Self.uuid)
        try await harness.reconcile()
        #expect(harness.power.calls == ["pxe", "status", "cycle"])
        server = try await harness.server()
        #expect(!server.status.inUse)
        #expect(try await harness.reasons().contains("Unallocated"))
    }

    @Test func theRecheckCorrectsABMCThatLies() async throws {
        let harness = try await Harness()
        try await harness.create()
        try await harness.agentReportsWiped()
        try await harness.bind()
        try await harness.reconcile()
        #expect(harness.power.calls == ["status", "pxe", "on"])
        // The BMC now says "off" while the machine is on: the recheck powers it on again.
        harness.power.clear()
        harness.power.state.withLock { $0.on[Self.uuid] = false; $0.lies = true }
        try await harness.reconcile()
        #expect(harness.power.calls == ["status"], "a lying 'on' is left alone")
        harness.power.state.withLock { $0.lies = false }
        harness.power.clear()
        try await harness.reconcile()
        #expect(harness.power.calls == ["status", "pxe", "on"], "the recheck finds it off and powers it on")
    }

    /// Sidero #657, found by anvil-sim's power-lie fault: a BMC that still says "on" after the
    /// power-off. Each status read and each off changed the Server and reconciled it again: a
    /// power-off loop (21 in 10 s) for as long as the BMC lied. Now one more off after 20 s at most.
    @Test func aBMCStillSayingOnAfterThePowerOffIsNotPoweredOffInALoop() async throws {
        let harness = try await Harness()
        try await harness.create()
        try await harness.agentReportsWiped()
        harness.power.state.withLock { $0.on[Self.uuid] = true }
        try await harness.reconcile()
        #expect(harness.power.calls == ["status", "off"])
        // The machine is off; the BMC says "on" (lies inverts the truth).
        harness.power.state.withLock { $0.lies = true }
        for round in 1...3 {
            harness.power.clear()
            harness.advance(2)
            #expect(try await harness.reconcile() == .requeue(after: .seconds(20 - 2 * round)), "looked at again when the 20 s are over")
            #expect(harness.power.calls == ["status"], "no second power-off while the reading settles")
        }
        harness.advance(15)
        harness.power.clear()
        try await harness.reconcile()
        #expect(harness.power.calls == ["status", "off"], "still 'on' after 20 s: off once more")
        harness.power.state.withLock { $0.lies = false }
        harness.power.clear()
        harness.advance(1)
        try await harness.reconcile()
        #expect(harness.power.calls == ["status"], "off at last: nothing more")
    }

    @Test func aServerPoweredOnAgainAfterItsPowerOffIsPoweredOffAtOnce() async throws {
        let harness = try await Harness()
        try await harness.create()
        try await harness.agentReportsWiped()
        harness.power.state.withLock { $0.on[Self.uuid] = true }
        try await harness.reconcile()
        // Allocated, powered on by the controller, released and wiped within seconds (the simulator's pace).
        try await harness.bind()
        harness.power.state.withLock { $0.on[Self.uuid] = false }
        try await harness.reconcile()
        _ = try await harness.store.delete(kind: "ServerBinding", name: Self.uuid)
        try await harness.agentReportsWiped()
        harness.power.clear()
        harness.advance(2)
        try await harness.reconcile()
        #expect(harness.power.calls == ["status", "off"], "the controller's own power-on makes 'on' believable")
    }

    @Test func theRebootTimeoutRetriesWithoutAHeartbeatAndNotWithOne() async throws {
        let harness = try await Harness()
        try await harness.create()
        try await harness.reconcile()
        harness.power.clear()
        // A heartbeat (what the agent API writes) just before the timeout pushes it forward.
        harness.advance(590)
        let stamp = Timestamp.rfc3339(harness.clock.now())
        try await harness.setStatus { $0.setCondition(Condition(type: Server.conditionPowerCycle, status: "False", lastTransitionTime: stamp, reason: "InProgress")) }
        harness.advance(20)
        try await harness.reconcile()
        #expect(harness.power.calls.isEmpty, "a heartbeat 20 s ago: keep waiting")
        // No heartbeat for the whole timeout: the wipe is retried.
        harness.advance(600)
        try await harness.reconcile()
        #expect(harness.power.calls == ["pxe", "status", "cycle"])
        #expect(ServerLifecycle.attempts(of: "Wipe", in: try await harness.server().status) == 2)
    }

    @Test func aWipeNeverReportedStopsAfterThreeAttempts() async throws {
        let harness = try await Harness()
        try await harness.create()
        for _ in 0..<3 {
            try await harness.reconcile()
            harness.advance(700)
        }
        #expect(harness.power.calls.filter { $0 == "pxe" }.count == 3)
        harness.power.clear()
        try await harness.reconcile()
        #expect(harness.power.calls.isEmpty)
        let server = try await harness.server()
        #expect(server.status.condition(ServerLifecycle.conditionStalled)?.reason == "WipeNotReported")
        #expect(try await harness.reasons().contains("WipeNotReported"))
        // And it stays still.
        harness.advance(7000)
        #expect(try await harness.reconcile() == .done)
        #expect(harness.power.calls.isEmpty)
    }

    @Test func failingPowerIsRetriedThenStops() async throws {
        let harness = try await Harness()
        try await harness.create()
        harness.power.state.withLock { $0.failure = PowerCommandFailed(reason: "Unreachable", message: "power.status: 10.0.0.9 did not answer") }
        // Retried after 30 s, then 60 s: a BMC that refuses at once does not use up the attempts in
        // seconds (each failure's status write reconciles again at once; that must not retry).
        // A failing server reconciles as failing (`.retry`) until a command succeeds: the failing
        // lane of Shared/Controller/WorkQueue.swift.
        for (attempt, delay) in [(1, 30), (2, 60)] {
            #expect(try await harness.reconcile() == .retry(after: .seconds(delay)), "attempt \(attempt)")
            let calls = harness.power.state.withLock { $0.calls.count }
            #expect(try await harness.reconcile() == .retry(after: .seconds(delay)), "no command before the delay")
            harness.clock.advance(Double(delay) - 1)
            #expect(try await harness.reconcile() == .retry(after: .seconds(1)))
            #expect(harness.power.state.withLock { $0.calls.count } == calls, "nothing tried before the delay")
            harness.clock.advance(1)
        }
        #expect(try await harness.reconcile() == .requeue(after: .seconds(601)), "the third stops: no error, no retry loop")
        let server = try await harness.server()
        #expect(server.status.condition(ServerLifecycle.conditionStalled)?.reason == "PowerCommandFailed")
        #expect(try await harness.reasons().contains("PowerCommandFailed"))
    }

    @Test func aServerWithoutAUsableBMCIsReportedNotStalled() async throws {
        let harness = try await Harness()
        try await harness.create()
        harness.power.state.withLock { $0.failure = PowerCommandFailed(reason: "InvalidConfiguration", message: "server has no spec.bmc") }
        for _ in 0..<4 {
            await #expect(throws: PowerCommandFailed.self) { try await harness.reconcile() }
        }
        #expect(try await harness.server().status.condition(ServerLifecycle.conditionStalled) == nil)
        #expect(try await harness.reasons().contains("NoUsableBMC"))
    }

    @Test func aBoundServerCannotBeDeletedUntilReleased() async throws {
        let harness = try await Harness()
        try await harness.create()
        try await harness.bind()
        try await harness.reconcile()
        _ = try await harness.store.delete(kind: "Server", name: Self.uuid)
        try await harness.reconcile()
        #expect(try await harness.store.find(kind: "Server", name: Self.uuid) != nil, "held by the finalizer while bound")
        #expect(try await harness.reasons().contains("DeletionBlocked"))
        _ = try await harness.store.delete(kind: "ServerBinding", name: Self.uuid)
        try await harness.reconcile()
        #expect(try await harness.store.find(kind: "Server", name: Self.uuid) == nil)
    }
}
