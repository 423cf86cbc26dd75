import Foundation
import Testing
@testable import AnvilDaemon

/// The common settings and the shared setting groups, resolved as every daemon resolves them.
@Suite struct DaemonConfigTests {
    private func source(_ env: [String: String]) -> SettingSource {
        SettingSource(environment: env, currentDirectory: "/srv")
    }

    private func make(_ descriptor: DaemonDescriptor = .reconciler, _ arguments: [String] = [], env: [String: String] = [:]) throws -> DaemonConfig {
        try DaemonConfig(descriptor: descriptor, options: try DaemonOptions.parse(arguments), source: source(env))
    }

    @Test func defaultsFollowSiderosSettings() throws {
        let config = try make()
        #expect(config.stateDirectory.path == "/srv/.anvil")
        #expect(config.runDirectory.path == "/srv/.anvil/run")
        #expect(config.httpAddress == "0.0.0.0")
        #expect(config.httpPort == 9080)
        let endpoints = try EndpointOptions.parse(["--api-endpoint", "192.0.2.10"]).resolve(source([:]), config: config)
        #expect(endpoints.apiPort == 8081)
        #expect(endpoints.metadataPort == 8082)
        let policy = try AgentPolicyOptions.parse([]).resolve(source([:]))
        #expect(policy == AgentPolicy(autoAcceptServers: false, autoBMCSetup: true, insecureWipe: true, serverRebootTimeout: .seconds(1200)))
        #expect(try PXEMethodOptions.parse([]).resolve(source([:])) == "uefi")
        let tokens = try MachineTokenOptions.parse([]).resolve(source([:]))
        #expect(tokens.enabled && tokens.window == .seconds(1800) && tokens.agentWindow == .seconds(86400))
        #expect(try MachineTokenOptions.parse(["--token-window", "5m"]).resolve(source([:])).window == .seconds(300))
        #expect(throws: SettingError.self) { try MachineTokenOptions.parse(["--token-window", "1s"]).resolve(source([:])) }
        let files = try BootFileOptions.parse([]).resolve(source([:]), config: config)
        #expect(files.root.path == "/srv/.anvil/tftp")
        #expect(files.ipxeDirectory.path == "/usr/lib/ipxe")
    }

    @Test func localModeUsesLoopback() throws {
        let config = try make(.bootd, ["--local"])
        #expect(config.httpAddress == "127.0.0.1")
        #expect(config.httpPort == 8081)
        let endpoints = try EndpointOptions.parse([]).resolve(source([:]), config: config)
        #expect(endpoints.apiEndpoint == "127.0.0.1")
    }

    @Test func anvilVariablesAndSideroAliases() throws {
        let env = [
            "SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS": "true",
            "SIDERO_CONTROLLER_MANAGER_SERVER_REBOOT_TIMEOUT": "30s",
            "ANVIL_IPMI_PXE_METHOD": "bios",
            "SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD": "uefi",
            "SIDERO_CONTROLLER_MANAGER_API_ENDPOINT": "-",
            "ANVIL_STATE": "/var/lib/anvil",
            "ANVIL_TFTP_ROOT": "boot",
        ]
        let config = try make(env: env)
        let policy = try AgentPolicyOptions.parse([]).resolve(source(env))
        #expect(policy.autoAcceptServers)
        #expect(policy.serverRebootTimeout == .seconds(30))
        // ANVIL_* wins over the Sidero alias.
        #expect(try PXEMethodOptions.parse([]).resolve(source(env)) == "bios")
        // Sidero's clusterctl "-" means empty: no endpoint, which outside local mode is an error.
        #expect(throws: MissingSettingError.self) { try EndpointOptions.parse([]).resolve(source(env), config: config) }
        #expect(config.stateDirectory.path == "/var/lib/anvil")
        // Relative paths are taken from the current directory.
        #expect(try BootFileOptions.parse([]).resolve(source(env), config: config).root.path == "/srv/boot")
    }

    @Test func flagsWinOverEnvironment() throws {
        let env = ["ANVIL_IPMI_PXE_METHOD": "uefi", "ANVIL_HTTP_PORT": "1"]
        #expect(try PXEMethodOptions.parse(["--ipmi-pxe-method", "bios"]).resolve(source(env)) == "bios")
        #expect(try make(.bmcd, ["--http-port", "2"], env: env).httpPort == 2)
    }

    @Test func badValuesNameTheirOrigin() throws {
        #expect(throws: SettingError.self) { try PXEMethodOptions.parse([]).resolve(source(["SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD": "pxe"])) }
        do {
            _ = try PXEMethodOptions.parse([]).resolve(source(["SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD": "pxe"]))
        } catch {
            #expect("\(error)" == "SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD: \"pxe\" is not one of uefi, bios")
        }
        do {
            _ = try AgentPolicyOptions.parse(["--server-reboot-timeout", "soon"]).resolve(source([:]))
            Issue.record("a bad duration was accepted")
        } catch {
            #expect("\(error)".hasPrefix("--server-reboot-timeout: \"soon\" is not a duration"))
        }
        do {
            _ = try make(.reconciler, ["--http-port", "70000"])
            Issue.record("a bad port was accepted")
        } catch {
            #expect("\(error)" == "--http-port: \"70000\" is not a port number 0-65535")
        }
        do {
            _ = try make(.reconciler, [], env: ["ANVIL_LOG_FORMAT": "xml"])
            Issue.record("a bad log format was accepted")
        } catch {
            #expect("\(error)" == "ANVIL_LOG_FORMAT: \"xml\" is not one of logfmt, json")
        }
        #expect(throws: SettingError.self) { try make(.bootd, ["--instance", "a_b"]) }
    }

    @Test func badFlagValuesNameTheFlagAsTyped() throws {
        let source = SettingSource(environment: ["ANVIL_TFTP_RETRIES": "many"])
        #expect(throws: SettingError.self) { try source.integer(flag: "x", name: "TFTP_RETRIES", flagName: "retries", range: 0...100, default: 5) }
        do {
            _ = try source.integer(flag: "x", name: "TFTP_RETRIES", flagName: "retries", range: 0...100, default: 5)
        } catch {
            #expect("\(error)" == "--retries: \"x\" is not a whole number 0-100")
        }
        do {
            _ = try source.integer(flag: nil, name: "TFTP_RETRIES", flagName: "retries", range: 0...100, default: 5)
        } catch {
            #expect("\(error)" == "ANVIL_TFTP_RETRIES: \"many\" is not a whole number 0-100")
        }
        do {
            _ = try source.duration(flag: "soon", name: "TFTP_RETRANSMIT_TIMEOUT", flagName: "retransmit-timeout", default: .seconds(1))
        } catch {
            #expect("\(error)".hasPrefix("--retransmit-timeout: \"soon\""))
        }
    }

    @Test func durationsBelowTheirMinimumNameTheValueAsTypedAndWhereItCameFrom() throws {
        let source = SettingSource(environment: ["ANVIL_IPMI_TIMEOUT": "1ms"])
        do {
            _ = try source.duration(flag: nil, name: "IPMI_TIMEOUT", minimum: .milliseconds(10), default: .seconds(1))
            Issue.record("a duration below its minimum was accepted")
        } catch {
            #expect("\(error)" == "ANVIL_IPMI_TIMEOUT: \"1ms\" is not at least 10ms")
        }
        #expect(try source.duration(flag: "10ms", name: "IPMI_TIMEOUT", minimum: .milliseconds(10), default: .seconds(1)) == .milliseconds(10))
    }

    @Test func switchesTurnOnByFlagOrVariable() throws {
        #expect(try SettingSource(environment: [:]).flag(true, name: "TFTP_NO_GSO"))
        #expect(try SettingSource(environment: ["ANVIL_TFTP_NO_GSO": "yes"]).flag(false, name: "TFTP_NO_GSO"))
        #expect(try !SettingSource(environment: [:]).flag(false, name: "TFTP_NO_GSO"))
        #expect(throws: SettingError.self) { try SettingSource(environment: ["ANVIL_TFTP_NO_GSO": "maybe"]).flag(false, name: "TFTP_NO_GSO") }
    }

    @Test func bootdNeedsAnEndpointOutsideLocalMode() throws {
        let config = try make(.bootd)
        #expect(throws: MissingSettingError.self) { try EndpointOptions.parse([]).resolve(source([:]), config: config) }
        let endpoints = try EndpointOptions.parse(["--api-endpoint", "192.0.2.10"]).resolve(source([:]), config: config)
        #expect(endpoints.apiEndpoint == "192.0.2.10")
    }

    @Test func bootdListenPortTakesSiderosContainerPort() throws {
        let config = try make(.bootd, ["--local"], env: ["SIDERO_CONTROLLER_MANAGER_CONTAINER_API_PORT": "9999"])
        #expect(config.httpPort == 9999)
        // ANVIL_HTTP_PORT is more specific than Sidero's name.
        let explicit = try make(.bootd, ["--local"], env: ["SIDERO_CONTROLLER_MANAGER_CONTAINER_API_PORT": "9999", "ANVIL_HTTP_PORT": "7000"])
        #expect(explicit.httpPort == 7000)
    }

    @Test func goDurations() {
        #expect(GoDuration.parse("20m") == .seconds(1200))
        #expect(GoDuration.parse("1h30m") == .seconds(5400))
        #expect(GoDuration.parse("250ms") == .milliseconds(250))
        #expect(GoDuration.parse("1.5s") == .milliseconds(1500))
        #expect(GoDuration.parse("10") == nil)
        #expect(GoDuration.parse("") == nil)
        #expect(GoDuration.format(.seconds(1200)) == "20m0s")
        #expect(GoDuration.format(.milliseconds(10)) == "10ms")
    }
}

@Suite struct LineLogHandlerTests {
    @Test func logfmtLine() {
        let line = LineLogHandler.render(
            format: .logfmt, timestamp: Date(timeIntervalSince1970: 0), level: .info, service: "tftpd",
            message: "transfer done", metadata: ["file": "undionly.kpxe", "bytes": "70000"])
        #expect(line.contains("level=info service=tftpd msg=\"transfer done\" bytes=70000 file=undionly.kpxe"))
        #expect(line.hasPrefix("ts=1970-01-01T00:00:00"))
    }

    @Test func jsonLine() throws {
        let line = LineLogHandler.render(
            format: .json, timestamp: Date(timeIntervalSince1970: 0), level: .warning, service: "bmcd",
            message: "say \"hi\"", metadata: ["bmc": "10.0.0.1"])
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        #expect(object?["service"] == "bmcd")
        #expect(object?["level"] == "warning")
        #expect(object?["msg"] == "say \"hi\"")
        #expect(object?["bmc"] == "10.0.0.1")
    }
}
