import AnvilBus
import AnvilJSON

/// The power commands the Server controller needs. In the daemon they go to bmcd on the bus
/// (``BMCDPowerControl``); unit tests record them instead.
protocol ServerPowerControl: Sendable {
    func isPoweredOn(_ server: String) async throws -> Bool
    /// Next boot from the network, once (the Server's pxeMode, else bmcd's --ipmi-pxe-method).
    func pxeOnce(_ server: String) async throws
    func on(_ server: String) async throws
    func off(_ server: String) async throws
    /// Off then on; bmcd powers on a machine that is off (Sidero #145).
    func cycle(_ server: String) async throws
}

/// A power command that failed; `reason` is bmcd's (Unreachable, AuthenticationFailed,
/// InvalidConfiguration, …) so the controller can tell a server with no usable BMC from a
/// BMC that is down.
struct PowerCommandFailed: Error, CustomStringConvertible {
    let reason: String
    let message: String

    var description: String { message }
    /// No BMC, or settings that cannot work: waiting for an operator, not retried in a loop.
    var isConfiguration: Bool { reason == "InvalidConfiguration" || reason == "NotSupported" }
}

/// Power through bmcd's bus methods (docs/architecture.md "Bus").
struct BMCDPowerControl: ServerPowerControl {
    let client: BusClient

    init(directory: ServiceDirectory, timeout: Duration = .seconds(60)) {
        client = BusClient(socketPath: directory.socketPath(service: "bmcd"), defaultTimeout: timeout)
    }

    func isPoweredOn(_ server: String) async throws -> Bool {
        try await call("power.status", server)["poweredOn"]?.boolValue == true
    }

    func pxeOnce(_ server: String) async throws {
        _ = try await call("boot.setDevice", server, ["device": "pxe", "persistent": false])
    }

    func on(_ server: String) async throws { _ = try await call("power.on", server) }
    func off(_ server: String) async throws { _ = try await call("power.off", server) }
    func cycle(_ server: String) async throws { _ = try await call("power.cycle", server) }

    private func call(_ method: String, _ server: String, _ extra: [String: JSONValue] = [:]) async throws -> JSONValue {
        var params = extra
        params["server"] = .string(server)
        do {
            return try await client.call(method, params: .object(params))
        } catch let error as BusError {
            // bmcd's power errors carry their reason; anything else (bmcd down) is "Unreachable".
            let reason = error.data?["reason"]?.stringValue ?? "Unreachable"
            throw PowerCommandFailed(reason: reason, message: "\(method): \(error.message)")
        }
    }
}
