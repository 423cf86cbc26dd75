import Foundation
import Testing
@testable import AnvilDaemon

@Suite struct DaemonConfigTests {
    private func make(_ descriptor: DaemonDescriptor = .reconciler, _ arguments: [String] = [], env: [String: String] = [:]) throws -> DaemonConfig {
        let options = try DaemonOptions.parse(arguments)
        return try DaemonConfig(descriptor: descriptor, options: options, environment: env, currentDirectory: "/srv")
    }

    @Test func defaultsFollowSiderosSettings() throws {
        let config = try make()
        #expect(config.apiPort == 8081)
        #expect(config.tftpPort == 69)
        #expect(config.autoAcceptServers == false)
        #expect(config.autoBMCSetup == true)
        #expect(config.insecureWipe == true)
        #expect(config.serverRebootTimeout == .seconds(1200))
        #expect(config.ipmiPXEMethod == "uefi")
        #expect(config.bootFromDiskMethod == "ipxe-exit")
        #expect(config.extraAgentKernelArgs == "")
        #expect(config.stateDirectory.path == "/srv/.anvil")
        #expect(config.runDirectory.path == "/srv/.anvil/run")
    }

    @Test func localModeUsesUnprivilegedPortsAndLoopback() throws {
        let config = try make(.bootd, ["--local"])
        #expect(config.tftpPort == 6969)
        #expect(config.apiEndpoint == "127.0.0.1")
        #expect(config.httpAddress == "127.0.0.1")
        #expect(config.httpPort == 8081)
    }

    @Test func anvilVariablesAndSideroAliases() throws {
        let config = try make(env: [
            "SIDERO_CONTROLLER_MANAGER_AUTO_ACCEPT_SERVERS": "true",
            "SIDERO_CONTROLLER_MANAGER_SERVER_REBOOT_TIMEOUT": "30s",
            "ANVIL_BOOT_FROM_DISK_METHOD": "http-404",
            "SIDERO_CONTROLLER_MANAGER_BOOT_FROM_DISK_METHOD": "ipxe-sanboot",
            "SIDERO_CONTROLLER_MANAGER_API_ENDPOINT": "-",
            "ANVIL_STATE": "/var/lib/anvil",
        ])
        #expect(config.autoAcceptServers)
        #expect(config.serverRebootTimeout == .seconds(30))
        // ANVIL_* wins over the Sidero alias.
        #expect(config.bootFromDiskMethod == "http-404")
        // Sidero's clusterctl "-" means empty.
        #expect(config.apiEndpoint == nil)
        #expect(config.stateDirectory.path == "/var/lib/anvil")
    }

    @Test func flagsWinOverEnvironment() throws {
        let config = try make(.reconciler, ["--ipmi-pxe-method", "bios"], env: ["ANVIL_IPMI_PXE_METHOD": "uefi"])
        #expect(config.ipmiPXEMethod == "bios")
    }

    @Test func badValuesNameTheirOrigin() throws {
        #expect(throws: SettingError.self) { try make(env: ["SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD": "pxe"]) }
        do {
            _ = try make(env: ["SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD": "pxe"])
        } catch {
            #expect("\(error)" == "SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD: \"pxe\" is not one of uefi, bios")
        }
        do {
            _ = try make(.reconciler, ["--server-reboot-timeout", "soon"])
        } catch {
            #expect("\(error)".hasPrefix("--server-reboot-timeout: \"soon\" is not a duration"))
        }
        do {
            _ = try make(.reconciler, ["--http-port", "70000"])
        } catch {
            #expect("\(error)".contains("70000"))
        }
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

    @Test func bootdNeedsAnEndpointOutsideLocalMode() throws {
        #expect(throws: MissingSettingError.self) { try make(.bootd) }
        let config = try make(.bootd, ["--api-endpoint", "192.0.2.10"])
        #expect(config.apiEndpoint == "192.0.2.10")
    }

    @Test func bootdListenPortTakesSiderosContainerPort() throws {
        let config = try make(.bootd, ["--local"], env: ["SIDERO_CONTROLLER_MANAGER_CONTAINER_API_PORT": "9999"])
        #expect(config.httpPort == 9999)
    }

    @Test func goDurations() {
        #expect(GoDuration.parse("20m") == .seconds(1200))
        #expect(GoDuration.parse("1h30m") == .seconds(5400))
        #expect(GoDuration.parse("250ms") == .milliseconds(250))
        #expect(GoDuration.parse("1.5s") == .milliseconds(1500))
        #expect(GoDuration.parse("10") == nil)
        #expect(GoDuration.parse("") == nil)
        #expect(GoDuration.format(.seconds(1200)) == "20m0s")
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
