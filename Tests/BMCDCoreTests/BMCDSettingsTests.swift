import AnvilDaemon
import Testing
@testable import BMCDCore

/// bmcd's settings: IPMI timing and cipher suite, command limits, and the default PXE firmware mode.
@Suite struct BMCDSettingsTests {
    func settings(_ arguments: [String] = [], env: [String: String] = [:]) throws -> BMCDSettings {
        try BMCDSettings(options: BMCDOptions.parse(arguments), source: SettingSource(environment: env, currentDirectory: "/srv"))
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
        #expect(settings.ipmiTimeout == .seconds(1))
        #expect(settings.ipmiRetries == 3)
        // nil: ask the BMC which suites it has (prefer 17, then 3).
        #expect(settings.ipmiCipherSuite == nil)
        #expect(settings.summary["ipmiCipherSuite"] == "auto")
        #expect(settings.ipmiSessionIdle == .seconds(30))
        #expect(settings.maxBMCCommands == 128)
        #expect(settings.commandTimeout == .seconds(30))
        #expect(settings.httpTimeout == .seconds(10))
        #expect(settings.defaultPXEMode == "uefi")
    }

    @Test func cipherSuiteZeroIsNeverAccepted() throws {
        // Suite 0 has no authentication or encryption.
        let message = try #require(refusal(["--ipmi-cipher-suite", "0"]))
        #expect(message.hasPrefix("--ipmi-cipher-suite:"), "\(message)")
        #expect(message.contains("one of auto, 3, 17"))
        #expect(refusal(env: ["ANVIL_IPMI_CIPHER_SUITE": "0"])?.hasPrefix("ANVIL_IPMI_CIPHER_SUITE:") == true)
    }

    @Test func cipherSuitesThreeAndSeventeenArePinned() throws {
        #expect(try settings(["--ipmi-cipher-suite", "3"]).ipmiCipherSuite == 3)
        #expect(try settings(["--ipmi-cipher-suite", "17"]).ipmiCipherSuite == 17)
        #expect(try settings(["--ipmi-cipher-suite", "auto"]).ipmiCipherSuite == nil)
    }

    @Test func anIPMITimeoutUnder10msIsRefused() throws {
        let message = try #require(refusal(["--ipmi-timeout", "1ms"]))
        #expect(message.hasPrefix("--ipmi-timeout:"), "\(message)")
        #expect(message.contains("at least 10ms"))
        #expect(try settings(["--ipmi-timeout", "250ms"]).ipmiTimeout == .milliseconds(250))
        #expect(refusal(["--ipmi-timeout", "fast"])?.hasPrefix("--ipmi-timeout:") == true)
    }

    @Test func pxeMethodTakesFlagAnvilVariableOrSideroAlias() throws {
        #expect(try settings(["--ipmi-pxe-method", "bios"]).defaultPXEMode == "bios")
        #expect(try settings(env: ["SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD": "bios"]).defaultPXEMode == "bios")
        #expect(try settings(env: ["ANVIL_IPMI_PXE_METHOD": "uefi", "SIDERO_CONTROLLER_MANAGER_IPMI_PXE_METHOD": "bios"]).defaultPXEMode == "uefi")
        let message = try #require(refusal(["--ipmi-pxe-method", "efi"]))
        #expect(message.hasPrefix("--ipmi-pxe-method:"), "\(message)")
    }

    @Test func limitsAndTimeoutsAreChecked() throws {
        let settings = try settings([
            "--ipmi-retries", "0", "--max-bmc-commands", "4", "--power-command-timeout", "1m", "--http-power-timeout", "3s",
            "--ipmi-session-idle", "10s",
        ])
        #expect(settings.ipmiRetries == 0)
        #expect(settings.maxBMCCommands == 4)
        #expect(settings.commandTimeout == .seconds(60))
        #expect(settings.httpTimeout == .seconds(3))
        #expect(settings.ipmiSessionIdle == .seconds(10))
        #expect(refusal(["--max-bmc-commands", "0"])?.hasPrefix("--max-bmc-commands:") == true)
        #expect(refusal(["--ipmi-retries", "21"])?.hasPrefix("--ipmi-retries:") == true)
    }
}
