import AnvilPower
import Synchronization

/// `--fake-power`: every Server's power simulated in memory, for the lifecycle tests and the
/// fleet simulator. Each machine keeps its power, its next boot device and every call it got;
/// a test can make it lie about its power or fail every command (`fake.set`).
final class FakePowerMachines: Sendable {
    struct Machine: Sendable {
        var poweredOn = false
        var nextBoot: String?
        var calls: [String] = []
        /// Reports the opposite of its real power (Sidero PR #657: "sometimes IPMI lies").
        var lies = false
        /// Every command fails with this.
        var failure: PowerError?
    }

    private let machines = Mutex<[String: Machine]>([:])

    func machine(_ name: String) -> Machine {
        machines.withLock { $0[name] ?? Machine() }
    }

    func update(_ name: String, _ change: (inout Machine) -> Void) {
        machines.withLock { machines in
            var machine = machines[name] ?? Machine()
            change(&machine)
            machines[name] = machine
        }
    }

    /// Records `call` and runs `body` on the machine, unless it is set to fail.
    func perform<T: Sendable>(_ name: String, _ call: String, _ body: (inout Machine) -> T) throws(PowerError) -> T {
        let result: Result<T, PowerError> = machines.withLock { machines in
            var machine = machines[name] ?? Machine()
            machine.calls.append(call)
            defer { machines[name] = machine }
            if let failure = machine.failure { return .failure(failure) }
            return .success(body(&machine))
        }
        return try result.get()
    }
}

/// One Server's simulated power, recording every call in ``FakePowerMachines``.
struct FakePowerBackend: PowerBackend {
    let name: String
    let machines: FakePowerMachines

    func powerState() async throws(PowerError) -> Bool {
        try machines.perform(name, "status") { $0.lies ? !$0.poweredOn : $0.poweredOn }
    }

    func power(_ action: PowerAction) async throws(PowerError) {
        try machines.perform(name, "power \(action.rawValue)") { machine in
            switch action {
            case .on, .cycle, .reset: machine.poweredOn = true
            case .off, .softOff: machine.poweredOn = false
            }
        }
    }

    func setBootDevice(_ request: BootDeviceRequest) async throws(PowerError) {
        try machines.perform(name, "boot \(request.device.rawValue) \(request.mode.rawValue)\(request.persistent ? " persistent" : "")") {
            $0.nextBoot = request.device.rawValue
        }
    }

    func info() async throws(PowerError) -> [String: String] {
        try machines.perform(name, "info") { ["kind": "fake", "poweredOn": "\($0.poweredOn)"] }
    }

    func shutdown() async {}
}
