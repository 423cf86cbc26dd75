import AnvilBus
import AnvilJSON
import ArgumentParser
import Foundation

/// `anvil power ACTION SERVER`: one call to bmcd over the bus, one line of result or error.
struct PowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Drive a server's power through bmcd: status, on, off, cycle, reset, soft, pxe, disk.",
        discussion: """
            pxe and disk set the next boot device (--persistent for every boot; --mode uefi|bios, \
            default the Server's pxeMode or bmcd's IPMI PXE method).
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case status, on, off, cycle, reset, soft, pxe, disk
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "status, on, off, cycle, reset, soft, pxe or disk.")
    var action: Action

    @Argument(help: "The Server's name (its UUID).")
    var server: String

    @Option(help: "Firmware mode for pxe/disk: uefi or bios.")
    var mode: String?

    @Flag(help: "pxe/disk: every boot, not only the next one.")
    var persistent = false

    @Option(help: "Seconds to wait for the BMC.")
    var timeout: Double = 30

    func run() async throws {
        try await runCLI {
            var params: [String: JSONValue] = ["server": .string(server), "timeout": .double(timeout)]
            let method: String
            switch action {
            case .status: method = "power.status"
            case .on: method = "power.on"
            case .off: method = "power.off"
            case .cycle: method = "power.cycle"
            case .reset: method = "power.reset"
            case .soft: method = "power.softOff"
            case .pxe, .disk:
                method = "boot.setDevice"
                params["device"] = .string(action.rawValue)
                if let mode {
                    guard ["uefi", "bios"].contains(mode) else { throw CLIError("--mode must be uefi or bios, not \(mode)") }
                    params["mode"] = .string(mode)
                }
                params["persistent"] = .bool(persistent)
            }
            let result = try await BMCDCall(runDirectory: global.runDirectory.path).call(method, params: .object(params), timeout: timeout)
            out(Self.line(action: action, server: server, result: result))
        }
    }

    static func line(action: Action, server: String, result: JSONValue) -> String {
        let via = result["backend"]?.stringValue.map { " (\($0))" } ?? ""
        switch action {
        case .status: return "\(server): power \(result["power"]?.stringValue ?? "unknown")\(via)"
        case .on: return "\(server): powered on\(via)"
        case .off: return "\(server): powered off\(via)"
        case .cycle: return "\(server): power cycled\(via)"
        case .reset: return "\(server): reset\(via)"
        case .soft: return "\(server): soft power-off requested\(via)"
        case .pxe, .disk:
            let mode = result["mode"]?.stringValue ?? ""
            let persistent = result["persistent"]?.boolValue == true ? "every boot" : "next boot"
            return "\(server): \(persistent) from \(action.rawValue) (\(mode))\(via)"
        }
    }
}

/// Finds bmcd's socket in the run directory and makes one call; bus errors become one line.
struct BMCDCall {
    let runDirectory: String

    func call(_ method: String, params: JSONValue, timeout: Double) async throws -> JSONValue {
        let directory = ServiceDirectory(runDirectory: runDirectory)
        guard let entry = directory.services().first(where: { $0.service == "bmcd" }) else {
            throw CLIError("bmcd is not running (no bmcd socket in \(runDirectory)); start the suite with `anvil up`")
        }
        let client = BusClient(socketPath: entry.path, defaultTimeout: .seconds(5))
        defer { Task { await client.close() } }
        do {
            // A little longer than bmcd's own deadline, so its answer (not ours) says what happened.
            return try await client.call(method, params: params, timeout: .milliseconds(Int64(timeout * 1000) + 2000))
        } catch let error as BusError {
            throw CLIError(error.message)
        }
    }
}
