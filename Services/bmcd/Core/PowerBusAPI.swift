import AnvilBus
import AnvilDaemon
import AnvilIPMIClient
import AnvilJSON
import AnvilPower
import AnvilResources
import AnvilStore
import Logging

/// bmcd's bus methods. Each names a Server (`{"server": NAME}`), takes an optional deadline in
/// seconds (`"timeout"`), resolves the Server's BMC and credentials from the store, runs one
/// command and reports the outcome on the Server's status. Failures answer error 4000 with
/// `data: {reason, server}`; the message is one line an operator can act on.
struct PowerBusAPI: Sendable {
    static let powerErrorCode = 4000
    static let serverNotFoundCode = 4004

    let resolver: PowerTargetResolver
    let pool: PowerBackendPool
    let status: ServerPowerStatusWriter
    let events: EventBatchRecorder
    let settings: BMCDSettings
    let metrics: BMCMetrics
    let logger: Logger

    func register(into bus: inout BusRouter) {
        bus.register("power.status") { params in
            try await run(params, method: "power.status") { backend, _ in
                let on = try await backend.powerState()
                return (["power": .string(on ? "on" : "off"), "poweredOn": .bool(on)], on ? .on : .off, nil)
            }
        }
        let actions: [(String, PowerAction, PowerState?, String)] = [
            ("power.on", .on, .on, "PowerOn"), ("power.off", .off, .off, "PowerOff"), ("power.cycle", .cycle, .on, "PowerCycle"),
            ("power.reset", .reset, .on, "PowerReset"), ("power.softOff", .softOff, nil, "SoftPowerOff"),
        ]
        for (method, action, after, reason) in actions {
            bus.register(method) { params in
                try await run(params, method: method) { backend, target in
                    try await backend.power(action)
                    return (["action": .string(action.rawValue), "ok": .bool(true)], after, (reason, "\(action.rawValue) via \(target.kind)"))
                }
            }
        }
        bus.register("boot.setDevice") { params in
            let request = try bootDeviceRequest(params)
            return try await run(params, method: "boot.setDevice", pxeMode: request.mode == nil) { backend, target, server in
                let mode = request.mode ?? server.spec.pxeMode.map { BootFirmwareMode(rawValue: $0.rawValue) ?? .uefi }
                    ?? BootFirmwareMode(rawValue: settings.defaultPXEMode) ?? .uefi
                let full = BootDeviceRequest(device: request.device, mode: mode, persistent: request.persistent)
                try await backend.setBootDevice(full)
                return ([
                    "device": .string(full.device.rawValue), "mode": .string(full.mode.rawValue), "persistent": .bool(full.persistent), "ok": .bool(true),
                ], nil, ("BootDeviceSet", "next boot from \(full.device.rawValue) (\(full.mode.rawValue)\(full.persistent ? ", persistent" : ", once")) via \(target.kind)"))
            }
        }
        bus.register("boot.getDevice") { params in
            try await run(params, method: "boot.getDevice") { backend, target in
                guard let ipmi = backend as? IPMIBackend else {
                    throw PowerError.notSupported("boot.getDevice reads IPMI boot flags; this server uses \(target.kind)")
                }
                let flags = try await ipmi.bootFlags()
                return ([
                    "device": .string("\(flags.device)"), "mode": .string(flags.efi ? "uefi" : "bios"),
                    "persistent": .bool(flags.persistent), "valid": .bool(flags.valid),
                ], nil, nil)
            }
        }
        bus.register("bmc.info") { params in
            try await run(params, method: "bmc.info") { backend, target in
                let info = try await backend.info()
                var object = info.mapValues { JSONValue.string($0) }
                object["kind"] = .string(target.kind)
                return (object, nil, nil)
            }
        }
        bus.register("bmc.setupUser") { params in
            try await BMCUserEnrolment(api: self).run(params)
        }
    }

    typealias Outcome = (result: [String: JSONValue], power: PowerState?, event: (reason: String, message: String)?)

    func run(
        _ params: JSONValue?, method: String, _ body: @escaping @Sendable (any PowerBackend, PowerTarget) async throws -> Outcome
    ) async throws -> JSONValue {
        try await run(params, method: method, pxeMode: false) { backend, target, _ in try await body(backend, target) }
    }

    func run(
        _ params: JSONValue?, method: String, pxeMode: Bool,
        _ body: @escaping @Sendable (any PowerBackend, PowerTarget, Server) async throws -> Outcome
    ) async throws -> JSONValue {
        let name = try serverName(params)
        let timeout = try deadline(params)
        let started = ContinuousClock.now
        let (server, target) = try await resolve(name, method: method)
        do {
            let backend = try await pool.backend(for: target)
            let outcome = try await Deadline.run(timeout, what: "\(method) for server \(name)") { () async throws -> Outcome in
                try await body(backend, target, server)
            }
            await status.succeeded(server: name, power: outcome.power)
            if let event = outcome.event {
                events.record(.init(involved: InvolvedObject(kind: ResourceKinds.server.kind, name: name), type: .normal, reason: event.reason, message: event.message))
            }
            metrics.finished(method: method, outcome: "ok", after: ContinuousClock.now - started)
            metrics.backends.set(Double(await pool.count))
            var result = outcome.result
            result["server"] = .string(name)
            result["backend"] = .string(target.kind)
            return .object(result)
        } catch let error as PowerError {
            metrics.finished(method: method, outcome: error.reason, after: ContinuousClock.now - started)
            throw await failure(error, server: name, method: method)
        }
    }

    /// Resolves the Server; unusable BMC settings are recorded on it like any other failure.
    func resolve(_ name: String, method: String) async throws -> (Server, PowerTarget) {
        do {
            let resolved = try await resolver.resolve(serverName: name)
            return (resolved.server, resolved.target)
        } catch let error as ServerNotFound {
            throw BusError(code: Self.serverNotFoundCode, message: error.description, data: .object(["server": .string(name), "reason": .string("NotFound")]))
        } catch let error as PowerError {
            metrics.finished(method: method, outcome: error.reason, after: .zero)
            throw await failure(error, server: name, method: method)
        }
    }

    func failure(_ error: PowerError, server: String, method: String) async -> BusError {
        logger.warning("power command failed", metadata: ["server": "\(server)", "method": "\(method)", "reason": "\(error.reason)", "error": "\(error)"])
        await status.failed(server: server, error: error)
        if case .deadlineExceeded = error {} else {
            events.record(.init(
                involved: InvolvedObject(kind: ResourceKinds.server.kind, name: server), type: .warning, reason: "PowerCommandFailed",
                message: "\(method): \(error)"))
        }
        return BusError(code: Self.powerErrorCode, message: "\(error)", data: .object(["server": .string(server), "reason": .string(error.reason)]))
    }

    func serverName(_ params: JSONValue?) throws -> String {
        guard let name = params?["server"]?.stringValue, !name.isEmpty else {
            throw BusError.invalidParams("params.server (the Server's name) is required")
        }
        return name
    }

    func deadline(_ params: JSONValue?) throws -> Duration {
        guard let value = params?["timeout"], value != .null else { return settings.commandTimeout }
        let seconds: Double? = switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
        guard let seconds, seconds > 0, seconds <= 3600 else {
            throw BusError.invalidParams("params.timeout must be a number of seconds between 0 and 3600")
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    private func bootDeviceRequest(_ params: JSONValue?) throws -> (device: BootDevice, mode: BootFirmwareMode?, persistent: Bool) {
        guard let text = params?["device"]?.stringValue, let device = BootDevice(rawValue: text) else {
            throw BusError.invalidParams("params.device must be one of pxe, disk")
        }
        var mode: BootFirmwareMode?
        if let value = params?["mode"], value != .null {
            guard let text = value.stringValue, let parsed = BootFirmwareMode(rawValue: text) else {
                throw BusError.invalidParams("params.mode must be one of uefi, bios")
            }
            mode = parsed
        }
        var persistent = false
        if let value = params?["persistent"], value != .null {
            guard let flag = value.boolValue else { throw BusError.invalidParams("params.persistent must be true or false") }
            persistent = flag
        }
        return (device, mode, persistent)
    }
}
