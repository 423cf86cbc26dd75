import AnvilDaemon
import ArgumentParser
import Foundation

/// bmcd's flags beyond the common ones: the PXE firmware mode, and its own (each also an `ANVIL_*` variable).
public struct BMCDOptions: ParsableArguments, Sendable {
    public init() {}

    @OptionGroup var pxeMethod: PXEMethodOptions

    @Flag(name: .customLong("fake-power"), help: "Drive no BMC: simulate every Server's power in memory and record each call (fake.get/fake.set on the bus), for tests and simulations (ANVIL_FAKE_POWER).")
    var fakePower: Bool = false

    @Option(name: .customLong("ipmi-timeout"), help: "First wait for a BMC's answer; it doubles on each resend up to 4x (ANVIL_IPMI_TIMEOUT; default 1s).")
    var ipmiTimeout: String?

    @Option(name: .customLong("ipmi-retries"), help: "Resends of an unanswered IPMI message (ANVIL_IPMI_RETRIES; default 3).")
    var ipmiRetries: String?

    @Option(name: .customLong("ipmi-cipher-suite"), help: "auto (ask the BMC, prefer 17 then 3), 3 or 17; suite 0 is never used (ANVIL_IPMI_CIPHER_SUITE; default auto).")
    var ipmiCipherSuite: String?

    @Option(name: .customLong("ipmi-session-idle"), help: "Replace a session idle this long before using it again (ANVIL_IPMI_SESSION_IDLE; default 30s).")
    var ipmiSessionIdle: String?

    @Option(name: .customLong("max-bmc-commands"), help: "Commands in flight across all BMCs (ANVIL_MAX_BMC_COMMANDS; default 128).")
    var maxBMCCommands: String?

    @Option(name: .customLong("power-command-timeout"), help: "Deadline of a bus call that gives none (ANVIL_POWER_COMMAND_TIMEOUT; default 30s).")
    var powerCommandTimeout: String?

    @Option(name: .customLong("http-power-timeout"), help: "Timeout of one Redfish or management-API request (ANVIL_HTTP_POWER_TIMEOUT; default 10s).")
    var httpPowerTimeout: String?
}

/// bmcd's resolved settings.
public struct BMCDSettings: DaemonSettings {
    var ipmiTimeout: Duration
    var ipmiRetries: Int
    var ipmiCipherSuite: UInt8?
    var ipmiSessionIdle: Duration
    var maxBMCCommands: Int
    var commandTimeout: Duration
    var httpTimeout: Duration
    /// `uefi` or `bios`: the firmware mode of a PXE boot when neither the call nor the Server names one.
    var defaultPXEMode: String
    /// Every Server's power simulated in memory (FakePowerMachines).
    var fakePower: Bool

    init(options: BMCDOptions, source: SettingSource) throws {
        ipmiTimeout = try source.duration(flag: options.ipmiTimeout, name: "IPMI_TIMEOUT", minimum: .milliseconds(10), default: .seconds(1))
        ipmiRetries = try source.integer(flag: options.ipmiRetries, name: "IPMI_RETRIES", range: 0...20, default: 3)
        let suite = try source.choice(flag: options.ipmiCipherSuite, name: "IPMI_CIPHER_SUITE", allowed: ["auto", "3", "17"], default: "auto")
        ipmiCipherSuite = suite == "auto" ? nil : UInt8(suite)
        ipmiSessionIdle = try source.duration(
            flag: options.ipmiSessionIdle, name: "IPMI_SESSION_IDLE", minimum: .seconds(1), default: .seconds(30))
        maxBMCCommands = try source.integer(flag: options.maxBMCCommands, name: "MAX_BMC_COMMANDS", range: 1...100_000, default: 128)
        commandTimeout = try source.duration(
            flag: options.powerCommandTimeout, name: "POWER_COMMAND_TIMEOUT", minimum: .milliseconds(100), default: .seconds(30))
        httpTimeout = try source.duration(
            flag: options.httpPowerTimeout, name: "HTTP_POWER_TIMEOUT", minimum: .milliseconds(100), default: .seconds(10))
        defaultPXEMode = try options.pxeMethod.resolve(source)
        fakePower = try source.flag(options.fakePower, name: "FAKE_POWER")
    }

    public var summary: [String: String] {
        [
            "ipmiTimeout": "\(ipmiTimeout)", "ipmiRetries": "\(ipmiRetries)",
            "ipmiCipherSuite": ipmiCipherSuite.map { "\($0)" } ?? "auto", "ipmiSessionIdle": "\(ipmiSessionIdle)",
            "maxBMCCommands": "\(maxBMCCommands)", "powerCommandTimeout": "\(commandTimeout)",
            "httpPowerTimeout": "\(httpTimeout)", "ipmiPXEMethod": defaultPXEMode, "fakePower": "\(fakePower)",
        ]
    }
}
