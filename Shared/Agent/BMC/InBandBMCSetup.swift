import AnvilIPMI
import AnvilIPMIClient
import AnvilPower

/// The agent's BMC step, in band (Sidero's contract): read the LAN channel's address and RMCP
/// port, then create or reuse the user (default `sidero`) with a fresh password, administrator
/// on that channel with IPMI messaging, enabled. Never throws and never retries in a loop: each
/// failure is one log line and a report with less in it.
public struct InBandBMCSetup: Sendable {
    public static let defaultUser = "sidero"
    /// The address reported when the BMC's could not be read.
    public static let unknownAddress = "0.0.0.0"

    public var user: String
    public var channel: UInt8

    public init(user: String = defaultUser, channel: UInt8 = 1) {
        self.user = user
        self.channel = channel
    }

    /// Runs the setup with a fresh random password.
    public func run(executor: any IPMICommandExecutor, log: (String) -> Void) async -> BMCReport {
        await run(executor: executor, password: BMCPassword.generate(), log: log)
    }

    /// Runs the setup with `password` (always set: it cannot be read back from the BMC).
    public func run(executor: any IPMICommandExecutor, password: String, log: (String) -> Void) async -> BMCReport {
        var report = await discoverAddress(executor: executor, log: log)
        let setup = IPMIUserSetup(user: user, password: password, channel: channel, privilege: .administrator)
        do {
            let slot = try await IPMIUserEnrolment(executor: executor).enrol(setup)
            let origin = slot.existed ? "existing" : "new"
            log("bmc: user \(user) in slot \(slot.userID) (\(origin)), administrator on channel \(channel), enabled")
            report.user = user
            report.pass = password
        } catch {
            log("bmc: user \(user) not set up: \(error.message)")
        }
        return report
    }

    private func discoverAddress(executor: any IPMICommandExecutor, log: (String) -> Void) async -> BMCReport {
        do {
            let address = try await IPMILANDiscovery(executor: executor, channel: channel).discover()
            var line = "bmc: LAN channel \(channel) address \(address.ip) port \(address.port)"
            if let reason = address.portFallbackReason {
                line += " (the default; the port could not be read: \(reason))"
            }
            if address.ip == Self.unknownAddress {
                line += "; the BMC has no address configured"
            }
            log(line)
            return BMCReport(ip: address.ip, port: address.port)
        } catch {
            log("bmc: LAN channel \(channel) address unknown, reporting \(Self.unknownAddress): \(error.message)")
            return BMCReport(ip: Self.unknownAddress, port: IPMILANDiscovery.defaultPort)
        }
    }
}
