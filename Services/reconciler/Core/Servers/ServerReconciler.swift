import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation
import Logging

/// The Server controller (README "reconciler: the server lifecycle"): keeps each Server's
/// lifecycle status and drives its power through bmcd as ``ServerLifecycle`` decides, guards
/// deletion of a bound Server with a finalizer, and stops cycling a server whose same step
/// fails ``ServerLifecycle/Settings/attempts`` times in a row.
struct ServerReconciler: Reconciler {
    static let source = "reconciler/server"

    let name = "server"
    let store: Store
    let power: any ServerPowerControl
    let events: EventBatchRecorder
    let settings: ServerLifecycle.Settings
    let logger: Logger
    let clock: @Sendable () -> Date
    let recentOffs = RecentPowerOffs()

    init(
        store: Store, power: any ServerPowerControl, events: EventBatchRecorder, settings: ServerLifecycle.Settings,
        logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.power = power
        self.events = events
        self.settings = settings
        self.logger = logger
        self.clock = clock
    }

    /// A Server's own changes, and its binding's (same name).
    func keys(for change: Change) -> [String] {
        change.kind == ResourceKinds.server.kind || change.kind == ResourceKinds.serverBinding.kind ? [change.name] : []
    }

    func allKeys() async throws -> [String] {
        try await store.list(kind: ResourceKinds.server.kind).map(\.name)
    }

    func reconcile(_ key: String) async throws -> ReconcileResult {
        let now = clock()
        // Status first, in one transaction on the fresh object, so nothing the agent wrote
        // meanwhile (a wipe report) is overwritten.
        // The Server and its binding from one snapshot (docs/architecture.md "Store").
        let (found, binding) = try await store.snapshot { snapshot in
            (try snapshot.find(kind: ResourceKinds.server.kind, name: key).map(Server.init),
             try snapshot.find(kind: ResourceKinds.serverBinding.kind, name: key).map(ServerBinding.init))
        }
        guard let before = found else { return .done }
        if before.metadata.deletionTimestamp != nil {
            return try await finishDeletion(before, bound: binding != nil)
        }
        let bringUpToDate: @Sendable (inout Server) -> Void = { server in
            server.status = ServerLifecycle.status(of: server, binding: binding, now: now)
            if !(server.metadata.finalizers ?? []).contains(ServerLifecycle.finalizer) {
                server.metadata.finalizers = (server.metadata.finalizers ?? []) + [ServerLifecycle.finalizer]
            }
        }
        var desired = before
        bringUpToDate(&desired)
        // Most reconciles change nothing: then no write transaction (and no write lock) is taken.
        let server = desired == before ? before : try await writeStatus(key, bringUpToDate)
        if before.status.inUse && !server.status.inUse {
            record(server, .normal, "Unallocated", "Server marked as unallocated.")
        }
        let plan = ServerLifecycle.plan(for: server, bound: binding != nil, now: now, settings: settings)
        if let next = try await carryOut(plan.power, on: server, now: now) { return next }
        guard let requeue = plan.requeue else { return .done }
        // Waiting out the delay after a failed power command: still failing (the failing lane,
        // Shared/Controller/WorkQueue.swift), so its next try is not counted among the healthy.
        // A stalled server is handled: it only waits for its operator (read again: this reconcile
        // may have just stalled it).
        guard ServerLifecycle.attempts(of: "Power", in: server.status) > 0,
              let latest = try await store.find(kind: ResourceKinds.server.kind, name: key).map(Server.init),
              ServerLifecycle.attempts(of: "Power", in: latest.status) > 0,
              latest.status.condition(ServerLifecycle.conditionStalled)?.status != "True"
        else { return .requeue(after: requeue) }
        return .retry(after: requeue)
    }

    // MARK: power

    /// Carries out the power intent; returns when to look again after a power failure, or while
    /// a BMC still says "on" after this reconciler's own power-off. bmcd
    /// records each command it carries out as an event on the Server (`PowerOn`, `PowerOff`,
    /// `PowerCycle`, `BootDeviceSet`, …, naming the back-end), whoever asked: the controller does
    /// not record them a second time.
    private func carryOut(_ intent: ServerLifecycle.Power, on server: Server, now: Date) async throws -> ReconcileResult? {
        let name = server.metadata.name
        do {
            switch intent {
            case .none:
                return nil
            case .ensureOff:
                if try await power.isPoweredOn(name) {
                    if let settle = recentOffs.remaining(name, now: now, window: settings.powerOffSettle) { return .requeue(after: settle) }
                    try await power.off(name)
                    recentOffs.record(name, at: now)
                }
                try await succeeded(name, step: "Power")
            case .ensureOnForInstall:
                if !(try await power.isPoweredOn(name)) {
                    try await power.pxeOnce(name)
                    try await power.on(name)
                    recentOffs.forget(name)
                }
                try await succeeded(name, step: "Power")
            case .wipe:
                try await wipe(server, now: now)
            }
            return nil
        } catch let failure as PowerCommandFailed {
            return try await powerFailed(server, failure, now: now)
        }
    }

    private func wipe(_ server: Server, now: Date) async throws {
        let name = server.metadata.name
        if ServerLifecycle.attempts(of: "Wipe", in: server.status) >= settings.attempts {
            let message = "power cycled for wiping \(settings.attempts) times and the agent never reported the wipe: "
                + "check the server's console and network boot; `anvil accept \(name)` retries"
            _ = try await writeStatus(name) { ServerLifecycle.stall(&$0.status, reason: "WipeNotReported", message: message, now: now) }
            record(server, .warning, "WipeNotReported", message)
            return
        }
        try await power.pxeOnce(name)
        let wasOn = try await power.isPoweredOn(name)
        if wasOn { try await power.cycle(name) } else { try await power.on(name) }
        recentOffs.forget(name)
        let stamp = Timestamp.rfc3339(now)
        _ = try await writeStatus(name) { server in
            // The agent may have reported the wipe meanwhile: then there is nothing to wait for.
            guard !server.status.isClean else { return }
            let attempt = ServerLifecycle.countAttempt("Wipe", in: &server.status, now: now)
            server.status.setCondition(Condition(
                type: Server.conditionPowerCycle, status: "False", lastTransitionTime: stamp, reason: "InProgress",
                message: "Server power cycled for wiping at \(stamp) (attempt \(attempt) of \(settings.attempts))."))
        }
    }

    private func succeeded(_ name: String, step: String) async throws {
        guard let current = try await store.find(kind: ResourceKinds.server.kind, name: name).map(Server.init),
              ServerLifecycle.attempts(of: step, in: current.status) > 0
        else { return }
        _ = try await writeStatus(name) { server in
            if ServerLifecycle.attempts(of: step, in: server.status) > 0 { server.status.clearLifecycleAttempts() }
        }
    }

    /// A server with no usable BMC waits for its operator (a change to it reconciles again); a
    /// failing BMC is retried after ``ServerLifecycle/powerRetryDelay(afterFailures:settings:)``,
    /// and stops the lifecycle after too many failures in a row.
    private func powerFailed(_ server: Server, _ failure: PowerCommandFailed, now: Date) async throws -> ReconcileResult? {
        let name = server.metadata.name
        if failure.isConfiguration {
            record(server, .warning, "NoUsableBMC", failure.message)
            throw failure
        }
        let limit = settings.attempts
        let updated = try await writeStatus(name) { server in
            let count = ServerLifecycle.countAttempt("Power", in: &server.status, now: now)
            if count >= limit {
                ServerLifecycle.stall(
                    &server.status, reason: "PowerCommandFailed",
                    message: "\(count) power commands in a row failed (last: \(failure.message)); fix the BMC, then `anvil accept \(name)` retries",
                    now: now)
            }
        }
        let stalled = updated.status.condition(ServerLifecycle.conditionStalled)?.status == "True"
        record(server, .warning, stalled ? "PowerCommandFailed" : "PowerFailed", failure.message)
        if stalled { return nil }
        let failures = ServerLifecycle.attempts(of: "Power", in: updated.status)
        return .retry(after: ServerLifecycle.powerRetryDelay(afterFailures: failures, settings: settings))
    }

    // MARK: deletion

    /// A bound Server keeps its finalizer (deletion waits for release); an unbound one is let go.
    private func finishDeletion(_ server: Server, bound: Bool) async throws -> ReconcileResult {
        guard (server.metadata.finalizers ?? []).contains(ServerLifecycle.finalizer) else { return .done }
        if bound {
            record(server, .warning, "DeletionBlocked", "server is allocated: it is deleted once its ServerBinding is released")
            return .done
        }
        _ = try await store.mutate(kind: ResourceKinds.server.kind, name: server.metadata.name) { resource in
            resource.metadata.finalizers = (resource.metadata.finalizers ?? []).filter { $0 != ServerLifecycle.finalizer }
        }
        return .done
    }

    // MARK: store

    /// Reads the Server, applies `change`, writes it if anything changed; returns what is stored.
    private func writeStatus(_ name: String, _ change: @escaping @Sendable (inout Server) -> Void) async throws -> Server {
        try Server(try await store.mutate(kind: ResourceKinds.server.kind, name: name) { resource in
            var server = try Server(resource)
            change(&server)
            resource = server.resource
        })
    }

    private func record(_ server: Server, _ type: EventType, _ reason: String, _ message: String) {
        events.record(.init(
            involved: InvolvedObject(kind: ResourceKinds.server.kind, name: server.metadata.name, uid: server.metadata.uid),
            type: type, reason: reason, message: message, source: Self.source))
    }
}
