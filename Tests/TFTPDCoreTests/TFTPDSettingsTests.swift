import AnvilDaemon
import AnvilTFTP
import Testing
@testable import TFTPDCore

/// tftpd's settings: defaults (privileged port, all addresses; unprivileged and loopback in local
/// mode), limits, and refusals naming the flag or variable to fix.
@Suite struct TFTPDSettingsTests {
    func settings(_ arguments: [String] = [], common: [String] = [], env: [String: String] = [:]) throws -> TFTPDSettings {
        let source = SettingSource(environment: env, currentDirectory: "/srv")
        let config = try DaemonConfig(descriptor: .tftpd, options: DaemonOptions.parse(common), source: source)
        return try TFTPDSettings(options: TFTPDOptions.parse(arguments), config: config, source: source)
    }

    func refusal(_ arguments: [String] = [], env: [String: String] = [:]) -> String? {
        do {
            _ = try settings(arguments, env: env)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func defaults() throws {
        let settings = try settings()
        #expect(settings.port == 69)
        #expect(settings.address == "0.0.0.0")
        #expect(!settings.singlePort)
        #expect(settings.root.path == "/srv/.anvil/tftp")
        #expect(settings.ipxeDirectory.path == "/usr/lib/ipxe")
        #expect(settings.admission == TFTPAdmission<String>.Limits(maximumTransfers: 1024, maximumTransfersPerClient: 64, requestsPerSecondPerClient: 50))
        #expect(settings.optionLimits == TFTPServerOptionLimits(maximumBlockSize: 1468, maximumWindowSize: 64))
        #expect(settings.retransmitPolicy == TFTPRetransmitPolicy(initialTimeout: .seconds(1), maximumTimeout: .seconds(8), maximumRetries: 5))
        #expect(settings.segmentationOffload)
        #expect(settings.memoryFileLimit == 64 << 20)
    }

    @Test func localModeUsesAnUnprivilegedPortOnLoopback() throws {
        let settings = try settings(common: ["--local"])
        #expect(settings.port == 6969)
        #expect(settings.address == "127.0.0.1")
        // An explicit port still wins in local mode.
        #expect(try self.settings(["--tftp-port", "1069"], common: ["--local"]).port == 1069)
    }

    @Test func limitsAreSetByFlagsAndVariables() throws {
        let settings = try settings(
            ["--max-transfers", "0", "--max-transfers-per-client", "8", "--rrq-rate-per-client", "5", "--max-windowsize", "16",
             "--retries", "2", "--memory-file-limit", "0"],
            env: ["ANVIL_TFTP_MAX_BLKSIZE": "512"])
        #expect(settings.admission.maximumTransfers == 0)
        #expect(settings.admission.maximumTransfersPerClient == 8)
        #expect(settings.admission.requestsPerSecondPerClient == 5)
        #expect(settings.admission.requestBurstPerClient == 10)
        #expect(settings.optionLimits == TFTPServerOptionLimits(maximumBlockSize: 512, maximumWindowSize: 16))
        #expect(settings.retransmitPolicy.maximumRetries == 2)
        #expect(settings.memoryFileLimit == 0)
        #expect(refusal(["--max-transfers", "1000001"])?.hasPrefix("--max-transfers:") == true)
        #expect(refusal(["--retries", "101"])?.hasPrefix("--retries:") == true)
    }

    @Test func aRetransmitTimeoutUnder10msIsRefused() throws {
        let message = try #require(refusal(["--retransmit-timeout", "5ms"]))
        #expect(message.hasPrefix("--retransmit-timeout:"), "\(message)")
        #expect(message.contains("at least 10ms"))
        #expect(try settings(["--retransmit-timeout", "10ms"]).retransmitPolicy.initialTimeout == .milliseconds(10))
    }

    @Test func aLongRetransmitTimeoutRaisesTheMaximumWithIt() throws {
        // The timeout doubles up to 8 s, but never below the first one.
        let policy = try settings(["--retransmit-timeout", "20s"]).retransmitPolicy
        #expect(policy.initialTimeout == .seconds(20))
        #expect(policy.maximumTimeout == .seconds(20))
    }

    @Test func aBlockSizeBelowEightIsRefusedNamingItsOrigin() throws {
        let message = try #require(refusal(["--max-blksize", "7"]))
        #expect(message.hasPrefix("--max-blksize:"), "\(message)")
        #expect(message.contains("8-\(TFTPLimits.maximumBlockSize)"))
        let fromEnvironment = try #require(refusal(env: ["ANVIL_TFTP_MAX_BLKSIZE": "7"]))
        #expect(fromEnvironment.hasPrefix("ANVIL_TFTP_MAX_BLKSIZE:"), "\(fromEnvironment)")
        #expect(try settings(["--max-blksize", "8"]).optionLimits.maximumBlockSize == 8)
    }

    @Test func segmentationOffloadIsTurnedOffByFlagOrVariable() throws {
        #expect(try !settings(["--no-gso"]).segmentationOffload)
        #expect(try !settings(env: ["ANVIL_TFTP_NO_GSO": "1"]).segmentationOffload)
        #expect(try settings(env: ["ANVIL_TFTP_NO_GSO": "0"]).segmentationOffload)
        #expect(refusal(env: ["ANVIL_TFTP_NO_GSO": "perhaps"])?.hasPrefix("ANVIL_TFTP_NO_GSO:") == true)
    }

    @Test func singlePortIsTurnedOnByFlagOrVariable() throws {
        #expect(try settings(["--single-port"]).singlePort)
        #expect(try settings(env: ["ANVIL_TFTP_SINGLE_PORT": "true"]).singlePort)
        #expect(try !settings(env: ["ANVIL_TFTP_SINGLE_PORT": "false"]).singlePort)
    }

    @Test func tftpRootIsTakenRelativeToTheCurrentDirectory() throws {
        #expect(try settings(["--tftp-root", "boot"]).root.path == "/srv/boot")
        #expect(try settings(["--tftp-root", "../boot/./x"]).root.path == "/boot/x")
        #expect(try settings(env: ["ANVIL_TFTP_ROOT": "/var/lib/tftp"]).root.path == "/var/lib/tftp")
        // Without one, it follows the state directory.
        #expect(try settings(common: ["--state", "/var/lib/anvil"]).root.path == "/var/lib/anvil/tftp")
    }

    @Test func addressAndPortComeFromFlagsOrVariables() throws {
        let settings = try settings(["--tftp-address", "192.0.2.5"], env: ["ANVIL_TFTP_PORT": "1069"])
        #expect(settings.address == "192.0.2.5")
        #expect(settings.port == 1069)
        #expect(refusal(["--tftp-port", "70000"])?.hasPrefix("--tftp-port:") == true)
    }
}
