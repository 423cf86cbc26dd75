import Foundation
import Synchronization

/// What one machine has done so far: its phase with when it began, time per phase, milestones,
/// counters. Written by the machine, read by the fleet's reports at any time.
public final class MachineRecord: Sendable {
    public struct Snapshot: Sendable, Codable, Equatable {
        public var name: String
        public var uuid: String
        public var phase: MachinePhase
        public var poweredOn: Bool
        /// Seconds spent in each phase, the current one included.
        public var secondsInPhase: [String: Double]
        /// Seconds from the record's start to the first time each milestone was reached.
        public var milestones: [String: Double]
        public var boots: Int
        public var httpCalls: Int
        public var httpFailures: Int
        public var faults: [String]
    }

    struct State {
        var phase: MachinePhase = .off
        var phaseStarted: ContinuousClock.Instant
        var seconds: [MachinePhase: Double] = [:]
        var milestones: [MachineMilestone: Double] = [:]
        var boots = 0
        var httpCalls = 0
        var httpFailures = 0
    }

    public let identity: MachineIdentity
    public let faults: MachineFaults
    private let started: ContinuousClock.Instant
    private let state: Mutex<State>

    public init(identity: MachineIdentity, faults: MachineFaults) {
        self.identity = identity
        self.faults = faults
        let now = ContinuousClock.now
        started = now
        state = Mutex(State(phaseStarted: now))
    }

    public var phase: MachinePhase { state.withLock { $0.phase } }

    public func reached(_ milestone: MachineMilestone) -> Bool { state.withLock { $0.milestones[milestone] != nil } }

    /// Enters `phase`; returns false when the machine was in it already.
    @discardableResult
    func enter(_ phase: MachinePhase) -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard state.phase != phase else { return false }
            state.seconds[state.phase, default: 0] += Self.seconds(now - state.phaseStarted)
            state.phase = phase
            state.phaseStarted = now
            return true
        }
    }

    func reach(_ milestone: MachineMilestone) {
        let at = Self.seconds(ContinuousClock.now - started)
        state.withLock { state in
            if state.milestones[milestone] == nil { state.milestones[milestone] = at }
        }
    }

    func countBoot() { state.withLock { $0.boots += 1 } }

    func countHTTP(failed: Bool) {
        state.withLock {
            $0.httpCalls += 1
            if failed { $0.httpFailures += 1 }
        }
    }

    public func snapshot(poweredOn: Bool) -> Snapshot {
        let now = ContinuousClock.now
        return state.withLock { state in
            var seconds = state.seconds
            seconds[state.phase, default: 0] += Self.seconds(now - state.phaseStarted)
            return Snapshot(
                name: identity.name, uuid: identity.uuid, phase: state.phase, poweredOn: poweredOn,
                secondsInPhase: Dictionary(uniqueKeysWithValues: seconds.map { ($0.key.rawValue, $0.value) }),
                milestones: Dictionary(uniqueKeysWithValues: state.milestones.map { ($0.key.rawValue, $0.value) }),
                boots: state.boots, httpCalls: state.httpCalls, httpFailures: state.httpFailures, faults: faults.names)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
