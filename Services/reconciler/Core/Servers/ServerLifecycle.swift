import AnvilResources
import AnvilStore
import Foundation

/// Sidero's Server state machine (docs/sidero-controllers.md §5.1), as a pure function
/// of the Server, whether it is bound, and the time: the status the reconciler owns, and what
/// to do with the power. ``ServerReconciler`` applies the status, then carries out the power.
enum ServerLifecycle {
    struct Settings: Sendable {
        /// A wipe not reported within this (and no heartbeat) is retried.
        var rebootTimeout: Duration = .seconds(20 * 60)
        /// A bound server's power is rechecked this often (BMCs sometimes lie).
        var powerCheckPeriod: Duration = .seconds(5 * 60)
        /// The same step failing this many times in a row stops the server being cycled.
        var attempts = 3
        /// A failed power command is retried after this (`--power-retry-delay`), doubling per
        /// failure up to 5 minutes: a BMC that refuses at once (restarting, ICMP unreachable)
        /// must not use up the attempts in seconds.
        var powerRetryDelay: Duration = .seconds(30)
        /// A bound server not yet installed has its power rechecked this often rather than every
        /// `powerCheckPeriod` (Sidero's 20 s requeue): a BMC that still says "on" just after a
        /// power-off (Sidero #657) must not hold the install back for minutes.
        var installPowerCheckPeriod: Duration = .seconds(20)
        /// After its own power-off, the reconciler does not send another one for this long though
        /// the BMC says "on" (Sidero #657): each status read and off would change the Server and
        /// reconcile it again, a power-off loop for as long as the BMC lies.
        var powerOffSettle: Duration = .seconds(20)
    }

    /// How long after the `count`-th power failure in a row the next command may be tried.
    static func powerRetryDelay(afterFailures count: Int, settings: Settings) -> Duration {
        let doubled = settings.powerRetryDelay * (1 << min(max(count - 1, 0), 10))
        return min(doubled, max(settings.powerRetryDelay, .seconds(300)))
    }

    /// What to do with the power.
    enum Power: Equatable, Sendable {
        /// Nothing (not accepted, stalled, or waiting for the agent).
        case none
        /// Off if on (clean and unallocated).
        case ensureOff
        /// If off: PXE once, then on (allocated, installing or running).
        case ensureOnForInstall
        /// PXE once, then cycle (on if off): the agent wipes it.
        case wipe
    }

    struct Plan: Equatable, Sendable {
        var power: Power
        /// When to look again even if nothing changes.
        var requeue: Duration?
    }

    static let finalizer = "storage.finalizers.server.k8s.io"
    /// Anvil's conditions: the attempts at the current step, and the stop after too many.
    static let conditionAttempts = Server.conditionLifecycleAttempts
    static let conditionStalled = Server.conditionStalled

    /// The status fields the reconciler owns, brought up to date: ready, inUse, isClean (only
    /// ever made false: the agent's wipe report makes it true), PXEBooted.
    static func status(of server: Server, binding: ServerBinding?, now: Date) -> ServerStatus {
        var status = server.status
        let bound = binding != nil
        if !server.spec.accepted {
            status.isClean = false
            status.ready = false
            status.inUse = bound
            return status
        }
        status.inUse = bound
        if bound {
            status.isClean = false
            status.ready = false
            if binding?.status.conditions?.contains(where: { $0.type == ServerBinding.conditionTalosInstalled && $0.status == "True" }) == true,
               status.condition(Server.conditionPXEBooted)?.status != "True" {
                status.setCondition(Condition(
                    type: Server.conditionPXEBooted, status: "True", lastTransitionTime: Timestamp.rfc3339(now),
                    reason: "TalosInstalled", message: "the binding reports the OS installed"))
            }
        } else {
            status.conditions = status.conditions?.filter { $0.type != Server.conditionPXEBooted }
            status.ready = status.isClean
        }
        if status.isClean, attempts(of: "Wipe", in: status) > 0 {
            // The wipe was reported: the attempts at it are over.
            status.conditions = status.conditions?.filter { $0.type != conditionAttempts }
        }
        return status
    }

    /// What to do next, given the status ``status(of:binding:now:)`` produced.
    static func plan(for server: Server, bound: Bool, now: Date, settings: Settings) -> Plan {
        guard server.spec.accepted else { return Plan(power: .none, requeue: nil) }
        if server.status.condition(conditionStalled)?.status == "True" {
            return Plan(power: .none, requeue: nil)
        }
        // Power failed lately: wait out the retry delay (kept in the status, so restarts keep it too).
        let failures = attempts(of: "Power", in: server.status)
        if failures > 0, let since = server.status.condition(conditionAttempts)?.lastTransitionTime.flatMap(Timestamp.parse) {
            let elapsed = Duration.seconds(now.timeIntervalSince(since))
            let delay = powerRetryDelay(afterFailures: failures, settings: settings)
            if elapsed < delay { return Plan(power: .none, requeue: delay - elapsed) }
        }
        if bound {
            let installed = server.status.condition(Server.conditionPXEBooted)?.status == "True"
            return Plan(
                power: .ensureOnForInstall,
                requeue: installed ? settings.powerCheckPeriod : min(settings.powerCheckPeriod, settings.installPowerCheckPeriod))
        }
        if server.status.isClean {
            return Plan(power: .ensureOff, requeue: nil)
        }
        // Dirty and unallocated: wipe, unless a wipe is under way and not yet overdue.
        if let cycle = server.status.condition(Server.conditionPowerCycle), cycle.status == "False",
           let since = cycle.lastTransitionTime.flatMap(Timestamp.parse) {
            let elapsed = Duration.seconds(now.timeIntervalSince(since))
            if elapsed < settings.rebootTimeout {
                return Plan(power: .none, requeue: settings.rebootTimeout - elapsed + .seconds(1))
            }
        }
        return Plan(power: .wipe, requeue: settings.rebootTimeout + .seconds(1))
    }

    /// How many times in a row `step` has been attempted (LifecycleAttempts), 0 for another step.
    static func attempts(of step: String, in status: ServerStatus) -> Int {
        guard let condition = status.condition(conditionAttempts), condition.reason == step else { return 0 }
        return Int(condition.message ?? "") ?? 0
    }

    /// Counts one more attempt at `step` (a different step starts again at 1).
    static func countAttempt(_ step: String, in status: inout ServerStatus, now: Date) -> Int {
        let count = attempts(of: step, in: status) + 1
        status.setCondition(Condition(
            type: conditionAttempts, status: "True", lastTransitionTime: Timestamp.rfc3339(now), reason: step, message: "\(count)"))
        return count
    }

    /// Stops the lifecycle for this server until an operator retries (`anvil accept`).
    static func stall(_ status: inout ServerStatus, reason: String, message: String, now: Date) {
        status.setCondition(Condition(
            type: conditionStalled, status: "True", severity: "Error", lastTransitionTime: Timestamp.rfc3339(now),
            reason: reason, message: message))
    }
}
