@testable import AnvilDaemon
import Foundation
import Testing
@testable import MetadatadCore

/// metadatad's settings: machine tokens and the agent policy, with Sidero's variable names.
@Suite struct MetadataSettingsTests {
    func settings(_ arguments: [String] = [], env: [String: String] = [:], state: URL) throws -> MetadataSettings {
        let source = SettingSource(environment: env, currentDirectory: "/srv")
        let config = try DaemonConfig(descriptor: .metadatad, options: DaemonOptions.parse(["--state", state.path]), source: source)
        return try MetadataSettings(options: MetadataOptions.parse(arguments), config: config, source: source)
    }

    @Test func defaultsAreSiderosPolicyWithTokens() async throws {
        try await withTemporaryStore { _, state in
            let settings = try settings(state: state)
            #expect(settings.policy == AgentPolicy(autoAcceptServers: false, autoBMCSetup: true, insecureWipe: true, serverRebootTimeout: .seconds(1200)))
            // Tokens are on by default; the key lives in the state directory.
            #expect(settings.tokenKey != nil)
            #expect(settings.summary["machineTokens"] == "true")
            #expect(settings.summary["serverRebootTimeout"] == "20m0s")
        }
    }

    @Test func machineTokensFalseLeavesNoKey() async throws {
        try await withTemporaryStore { _, state in
            let settings = try settings(["--machine-tokens", "false"], state: state)
            #expect(settings.tokenKey == nil)
            #expect(settings.summary["machineTokens"] == "false")
            let fromEnvironment = try self.settings(env: ["ANVIL_MACHINE_TOKENS": "0"], state: state)
            #expect(fromEnvironment.tokenKey == nil)
        }
    }

    @Test func siderosVariablesSetThePolicy() async throws {
        try await withTemporaryStore { _, state in
            let env = [
                "SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS": "true",
                "SIDERO_CONTROLLER_MANAGER_AUTO_BMC_SETUP": "false",
                "SIDERO_CONTROLLER_MANAGER_INSECURE_WIPE": "false",
                "SIDERO_CONTROLLER_MANAGER_SERVER_REBOOT_TIMEOUT": "5m",
            ]
            let policy = try settings(["--machine-tokens", "false"], env: env, state: state).policy
            #expect(policy == AgentPolicy(autoAcceptServers: true, autoBMCSetup: false, insecureWipe: false, serverRebootTimeout: .seconds(300)))
        }
    }

    @Test func flagsBeatAnvilVariablesWhichBeatSiderosAndDashMeansUnset() async throws {
        try await withTemporaryStore { _, state in
            let env = [
                "SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS": "true",
                "ANVIL_AUTO_ACCEPT_SERVERS": "false",
                // clusterctl templates write "-" for "not set": the default applies.
                "SIDERO_CONTROLLER_MANAGER_SERVER_REBOOT_TIMEOUT": "-",
                "ANVIL_INSECURE_WIPE": "false",
            ]
            let policy = try settings(["--machine-tokens", "false", "--insecure-wipe", "true"], env: env, state: state).policy
            #expect(!policy.autoAcceptServers)
            #expect(policy.serverRebootTimeout == .seconds(1200))
            #expect(policy.insecureWipe)
        }
    }

    @Test func bmcSetupAtAcceptanceByDefaultOrAtDiscovery() async throws {
        try await withTemporaryStore { _, state in
            #expect(try settings(["--machine-tokens", "false"], state: state).policy.bmcSetupAtDiscovery == false)
            #expect(try settings(["--machine-tokens", "false", "--bmc-setup-at", "discovery"], state: state).policy.bmcSetupAtDiscovery)
            let fromEnvironment = try settings(["--machine-tokens", "false"], env: ["ANVIL_BMC_SETUP_AT": "discovery"], state: state)
            #expect(fromEnvironment.policy.bmcSetupAtDiscovery)
            #expect(fromEnvironment.policy.summary["bmcSetupAt"] == "discovery")
            #expect(throws: SettingError.self) { try settings(["--machine-tokens", "false", "--bmc-setup-at", "never"], state: state) }
        }
    }

    @Test func aBadPolicyValueNamesItsOrigin() async throws {
        try await withTemporaryStore { _, state in
            do {
                _ = try settings(["--machine-tokens", "false"], env: ["SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS": "maybe"], state: state)
                Issue.record("\"maybe\" was accepted")
            } catch {
                #expect("\(error)".hasPrefix("SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS:"), "\(error)")
            }
            #expect(throws: SettingError.self) { try settings(["--server-reboot-timeout", "soon"], state: state) }
        }
    }
}
