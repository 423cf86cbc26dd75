import Synchronization

/// One simulated BMC: the state machine (`BMCMachine`), its faults and the chassis it drives.
/// Thread-safe; `SimulatedBMCServer` feeds it datagrams from its UDP channel.
public final class SimulatedBMC: Sendable {
    public let chassis: SimulatedChassis
    private struct State {
        var machine: BMCMachine
        var faults: BMCFaults
        var port: Int?
    }
    private let state: Mutex<State>

    /// `user` is created in slot 2 as an administrator with `password`; give Anvil a different
    /// password than this to simulate wrong credentials.
    public init(chassis: SimulatedChassis, user: String = "admin", password: String, faults: BMCFaults = .none) {
        self.chassis = chassis
        var machine = BMCMachine(user: user, password: password)
        machine.powerLieSeconds = faults.powerLieSeconds
        state = Mutex(State(machine: machine, faults: faults))
    }

    public var faults: BMCFaults { state.withLock { $0.faults } }

    /// Changes the faults from now on (a BMC that freezes mid-run, a network that starts dropping).
    public func setFaults(_ faults: BMCFaults) {
        state.withLock {
            $0.faults = faults
            $0.machine.powerLieSeconds = faults.powerLieSeconds
        }
    }

    /// Datagrams, sessions and commands so far (the benchmark's IPMI commands per server).
    public var statistics: BMCStatistics { state.withLock { $0.machine.statistics } }

    /// The UDP port it answers on, once a server has bound it.
    public var port: Int? { state.withLock { $0.port } }

    /// True once the freeze fault has struck: nothing will be answered again.
    public var isFrozen: Bool {
        state.withLock { state in state.faults.freezeAfter.map { state.machine.statistics.datagramsAnswered >= $0 } ?? false }
    }

    /// Sessions open now.
    public var openSessions: Int { state.withLock { $0.machine.openSessions } }

    func bound(address: [UInt8], port: Int) {
        state.withLock {
            $0.port = port
            $0.machine.lanAddress = address
            $0.machine.lanPort = UInt16(truncatingIfNeeded: port)
        }
    }

    /// Runs one received datagram through the faults and the machine, applies its chassis effects,
    /// and returns the answer with how long to hold it, or nil for silence (dropped, frozen, or
    /// nothing to say).
    public func handle(_ datagram: [UInt8], now: ContinuousClock.Instant = .now) -> (answer: [UInt8], delay: Duration)? {
        let view = BMCChassisView(chassis)
        let outcome: (reply: BMCReply, delay: Duration)? = state.withLock { state in
            let faults = state.faults
            if let limit = faults.freezeAfter, state.machine.statistics.datagramsAnswered >= limit {
                state.machine.statistics.datagramsReceived += 1
                state.machine.statistics.datagramsDropped += 1
                return nil
            }
            if faults.packetLoss > 0, Double.random(in: 0..<1) < faults.packetLoss {
                state.machine.statistics.datagramsReceived += 1
                state.machine.statistics.datagramsDropped += 1
                return nil
            }
            let reply = state.machine.receive(datagram, chassis: view, now: now)
            return (reply, reply.inSession ? faults.commandDelay : .zero)
        }
        guard let outcome else { return nil }
        for effect in outcome.reply.effects { effect.apply(to: chassis) }
        return outcome.reply.answer.map { ($0, outcome.delay) }
    }
}
