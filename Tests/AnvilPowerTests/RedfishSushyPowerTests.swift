import AnvilJSON
import Testing

@testable import AnvilPower

extension RedfishPeerTests {
    /// Power and boot override against sushy-emulator's fake driver, which applies a power change
    /// 1–11 s after it is asked for: every check waits for the outcome with a generous deadline.
    @Suite struct RedfishSushyPowerTests {
        static func backend(_ emulator: SushyEmulator, systemId: String? = nil) throws -> RedfishBackend {
            try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: emulator.endpoint, systemId: systemId, user: SushyEmulator.user,
                password: SushyEmulator.password, authentication: .basic))
        }

        /// Powers the system on and waits until it reports On.
        static func poweredOn(_ backend: RedfishBackend) async throws {
            try await backend.power(.on)
            #expect(try await eventually { try await backend.powerState() }, "the system never came on")
        }

        @Test func onThenOff() async throws {
            let emulator = try await SushyEmulator.start(authentication: true)
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { backend in
                #expect(try await backend.powerState() == false)
                try await Self.poweredOn(backend)
                try await backend.power(.off)
                #expect(try await eventually { try await !backend.powerState() }, "the system never went off")
            }
            #expect(emulator.resetRequests("system-1") == 2)
        }

        @Test func softOffIsAGracefulShutdown() async throws {
            let emulator = try await SushyEmulator.start()
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { backend in
                try await Self.poweredOn(backend)
                try await backend.power(.softOff)
                #expect(try await eventually { try await !backend.powerState() }, "the system never went off")
                // Off already: nothing more is sent.
                try await backend.power(.softOff)
            }
            #expect(emulator.resetRequests("system-1") == 2)
        }

        @Test func resetRestartsARunningSystem() async throws {
            let emulator = try await SushyEmulator.start()
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { backend in
                try await Self.poweredOn(backend)
                try await backend.power(.reset)
                #expect(try await eventually { try await backend.powerState() }, "the system did not come back on")
            }
            #expect(emulator.resetRequests("system-1") == 2)
        }

        /// The fake systems offer no PowerCycle: a cycle is ForceOff, a wait until the system is
        /// seen off, then On — two Reset requests, and the system ends on.
        @Test func cycleOfARunningSystemIsForceOffThenOn() async throws {
            let emulator = try await SushyEmulator.start()
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { backend in
                try await Self.poweredOn(backend)
                try await backend.power(.cycle)
                #expect(try await eventually { try await backend.powerState() }, "the system did not come back on")
            }
            #expect(emulator.resetRequests("system-1") == 3)
        }

        /// Sidero #145: cycling a machine that is off powers it on, with one request.
        @Test func cycleOfASystemThatIsOffPowersItOn() async throws {
            let emulator = try await SushyEmulator.start()
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { backend in
                #expect(try await backend.powerState() == false)
                try await backend.power(.cycle)
                #expect(try await eventually { try await backend.powerState() }, "the system never came on")
            }
            #expect(emulator.resetRequests("system-1") == 1)
        }

        /// sushy keeps target and mode but always shows BootSourceOverrideEnabled as Continuous,
        /// so "Once" is checked in the PATCH body's unit test, not here.
        @Test func bootOverrideIsReadBackFromTheSystem() async throws {
            let emulator = try await SushyEmulator.start(authentication: true)
            defer { emulator.stop() }
            #expect(try await emulator.system("system-1")["Boot"]?["BootSourceOverrideTarget"] == "Hdd")
            try await using(Self.backend(emulator)) { backend in
                try await backend.setBootDevice(BootDeviceRequest(device: .pxe, mode: .uefi, persistent: false))
            }
            let boot = try await emulator.system("system-1")["Boot"]
            #expect(boot?["BootSourceOverrideTarget"] == "Pxe")
            #expect(boot?["BootSourceOverrideMode"] == "UEFI")

            try await using(Self.backend(emulator)) { backend in
                try await backend.setBootDevice(BootDeviceRequest(device: .disk, mode: .bios, persistent: true))
            }
            let legacy = try await emulator.system("system-1")["Boot"]
            #expect(legacy?["BootSourceOverrideTarget"] == "Hdd")
            #expect(legacy?["BootSourceOverrideMode"] == "Legacy")
        }

        @Test func infoDescribesTheSystem() async throws {
            let emulator = try await SushyEmulator.start()
            defer { emulator.stop() }
            let info = try await using(Self.backend(emulator)) { try await $0.info() }
            #expect(info["kind"] == "redfish")
            #expect(info["endpoint"] == emulator.endpoint)
            #expect(info["manufacturer"] == "Sushy Emulator")
            #expect(info["powerState"] == "Off")
            #expect(info["systemId"] == "system-1")
            #expect(info["resetTypes"] == "On,ForceOff,GracefulShutdown,GracefulRestart,ForceRestart,Nmi,ForceOn")
        }

        @Test func theConfiguredSystemAmongSeveralIsTheOneDriven() async throws {
            let emulator = try await SushyEmulator.start(systems: ["node-a", "node-b"])
            defer { emulator.stop() }
            try await using(Self.backend(emulator, systemId: "node-b")) { backend in
                try await Self.poweredOn(backend)
            }
            #expect(try await emulator.system("node-a")["PowerState"] == "Off")
            #expect(emulator.resetRequests("node-a") == 0)
            #expect(emulator.resetRequests("node-b") == 1)
        }
    }
}
