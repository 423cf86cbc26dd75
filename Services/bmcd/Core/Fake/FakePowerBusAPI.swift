import AnvilBus
import AnvilJSON
import AnvilPower

/// The bus methods of `--fake-power`: `fake.get {server}` answers the machine's power, next boot
/// and calls; `fake.set {server, poweredOn?, lies?, fail?, clearCalls?}` changes it (`fail` is a
/// PowerError reason such as "Unreachable", or null to stop failing).
enum FakePowerBusAPI {
    static func register(into bus: inout BusRouter, machines: FakePowerMachines) {
        bus.register("fake.get") { params in
            let machine = machines.machine(try serverName(params))
            return [
                "poweredOn": .bool(machine.poweredOn), "nextBoot": machine.nextBoot.map(JSONValue.string) ?? .null,
                "lies": .bool(machine.lies), "calls": .array(machine.calls.map(JSONValue.string)),
            ]
        }
        bus.register("fake.set") { params in
            let name = try serverName(params)
            var failure: PowerError??
            if let fail = params?["fail"] {
                if fail == .null {
                    failure = .some(nil)
                } else {
                    guard let reason = fail.stringValue, let error = powerError(reason) else {
                        throw BusError.invalidParams("fail must be null or one of Unreachable, AuthenticationFailed, ProtocolError")
                    }
                    failure = .some(error)
                }
            }
            machines.update(name) { machine in
                if let on = params?["poweredOn"]?.boolValue { machine.poweredOn = on }
                if let lies = params?["lies"]?.boolValue { machine.lies = lies }
                if let failure { machine.failure = failure }
                if params?["clearCalls"]?.boolValue == true { machine.calls = [] }
            }
            return ["ok": true]
        }
    }

    private static func serverName(_ params: JSONValue?) throws -> String {
        guard let name = params?["server"]?.stringValue, !name.isEmpty else {
            throw BusError.invalidParams("missing \"server\": the Server's name")
        }
        return name
    }

    private static func powerError(_ reason: String) -> PowerError? {
        switch reason {
        case "Unreachable": .unreachable("fake BMC set to be unreachable")
        case "AuthenticationFailed": .authenticationFailed("fake BMC set to refuse the password")
        case "ProtocolError": .protocolError("fake BMC set to answer nonsense")
        default: nil
        }
    }
}
