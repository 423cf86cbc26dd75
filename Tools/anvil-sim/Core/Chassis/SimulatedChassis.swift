import Synchronization

/// What a simulated server's firmware boots next: the BMC's boot override, else the boot order.
public enum SimulatedBootDevice: String, Sendable, Equatable {
    case network
    case disk
}

/// A power transition of one simulated server, as its machine sees it.
public enum SimulatedPowerEvent: Sendable, Equatable {
    /// Power came on (or a cycle or reset restarted it): the machine boots from `device`.
    case boot(SimulatedBootDevice)
    /// Power went off: whatever the machine was doing stops.
    case off
}

/// The chassis between a simulated BMC and its machine (docs/simulator.md): power, the next-boot
/// override (consumed at power-on unless persistent, as real firmware does) and the boot order.
/// The BMC drives it through IPMI; the machine reboots or powers itself off through it.
public final class SimulatedChassis: Sendable {
    struct State {
        var poweredOn = false
        var override: SimulatedBootDevice?
        var persistent = false
        var events: [AsyncStream<SimulatedPowerEvent>.Continuation] = []
        var bootCount = 0
    }

    /// The firmware's boot order when no override is set: Sidero asks for network first, so a
    /// server with an installed OS still asks bootd, which answers "boot from disk".
    public let bootOrder: [SimulatedBootDevice]
    private let state = Mutex(State())

    public init(bootOrder: [SimulatedBootDevice] = [.network, .disk]) {
        self.bootOrder = bootOrder
    }

    public var isPoweredOn: Bool { state.withLock { $0.poweredOn } }

    /// How many times the machine has booted (power-on, cycle, reset, its own reboot).
    public var bootCount: Int { state.withLock { $0.bootCount } }

    /// The override the BMC holds, if any (Get System Boot Options).
    public var nextBoot: (device: SimulatedBootDevice, persistent: Bool)? {
        state.withLock { state in state.override.map { ($0, state.persistent) } }
    }

    /// Set System Boot Options: the next boot's device, once or persistent; nil clears it.
    public func setNextBoot(_ device: SimulatedBootDevice?, persistent: Bool = false) {
        state.withLock {
            $0.override = device
            $0.persistent = device == nil ? false : persistent
        }
    }

    public func powerOn() { transition(on: true, restart: false) }
    public func powerOff() { transition(on: false, restart: false) }
    /// Off then on (Chassis Control power cycle); from off it powers on.
    public func powerCycle() { transition(on: true, restart: true) }
    /// Hard reset: restarts a running machine; does nothing while off (as IPMI's reset).
    public func reset() {
        if isPoweredOn { transition(on: true, restart: true) }
    }
    /// The machine's own reboot (the agent or OS rebooting): a reset from the inside.
    public func reboot() { reset() }

    /// Power events from now on; the machine's run loop consumes them.
    public func events() -> AsyncStream<SimulatedPowerEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: SimulatedPowerEvent.self, bufferingPolicy: .unbounded)
        state.withLock { $0.events.append(continuation) }
        return stream
    }

    private func transition(on: Bool, restart: Bool) {
        let (event, listeners): (SimulatedPowerEvent?, [AsyncStream<SimulatedPowerEvent>.Continuation]) = state.withLock { state in
            let wasOn = state.poweredOn
            state.poweredOn = on
            guard on else { return (wasOn ? .off : nil, state.events) }
            guard restart || !wasOn else { return (nil, state.events) }
            let device = state.override ?? bootOrder.first ?? .network
            if !state.persistent { state.override = nil }
            state.bootCount += 1
            return (.boot(device), state.events)
        }
        guard let event else { return }
        for listener in listeners { listener.yield(event) }
    }
}
