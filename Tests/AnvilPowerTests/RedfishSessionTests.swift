import AnvilJSON
import Testing

@testable import AnvilPower

extension RedfishPeerTests {
    /// Session authentication and ETags against sushy-emulator behind Peers/redfish_session_layer.py
    /// (sushy itself has neither).
    @Suite struct RedfishSessionTests {
        static func backend(_ emulator: SushyEmulator, user: String = SushyEmulator.user,
                            password: String = SushyEmulator.password) throws -> RedfishBackend {
            try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: emulator.endpoint, user: user, password: password, authentication: .session))
        }

        @Test func oneSessionServesEveryRequestAndShutdownDeletesIt() async throws {
            let emulator = try await SushyEmulator.start(sessions: .init())
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { backend in
                #expect(try await backend.powerState() == false)
                try await backend.power(.on)
                #expect(try await eventually { try await backend.powerState() }, "the system never came on")
                _ = try await backend.info()
                #expect(try await emulator.sessions()["live"] == 1)
            }
            let sessions = try await emulator.sessions()
            #expect(sessions["logins"] == 1)
            #expect(sessions["deleted"] == 1)
            #expect(sessions["live"] == 0)
        }

        @Test func anExpiredSessionIsReopenedOnce() async throws {
            let emulator = try await SushyEmulator.start(sessions: .init(expireAfter: 2))
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { (backend: RedfishBackend) async throws in
                // The first read is two requests (the system collection, then the system), the second
                // one: the session expires on the second read, which logs in again and succeeds.
                for _ in 0..<2 { #expect(try await backend.powerState() == false) }
            }
            let sessions = try await emulator.sessions()
            #expect(sessions["expired"] == 1)
            #expect(sessions["logins"] == 2)
            // The second session is the one shutdown() deletes.
            #expect(sessions["deleted"] == 1)
            #expect(sessions["live"] == 0)
        }

        @Test func wrongCredentialsGiveTheBMCsMessage() async throws {
            let emulator = try await SushyEmulator.start(sessions: .init())
            defer { emulator.stop() }
            let error = try await using(Self.backend(emulator, password: "wrong")) { backend in
                await powerError { () async throws(PowerError) in _ = try await backend.powerState() }
            }
            #expect(error == .authenticationFailed(
                "POST \(emulator.endpoint)/redfish/v1/SessionService/Sessions answered HTTP 401 Unauthorized: Invalid username or password."))
            #expect(try await emulator.sessions()["failedLogins"] == 1)
        }

        @Test func aReadOnlyAccountIsInsufficientPrivilege() async throws {
            let emulator = try await SushyEmulator.start(sessions: .init())
            defer { emulator.stop() }
            let (viewer, view) = SushyEmulator.SessionLayer.readonlyUser
            let error = try await using(Self.backend(emulator, user: viewer, password: view)) {
                (backend: RedfishBackend) async throws -> PowerError? in
                #expect(try await backend.powerState() == false)
                return await powerError { () async throws(PowerError) in try await backend.power(.on) }
            }
            guard case .insufficientPrivilege(let message) = error else {
                Issue.record("expected insufficientPrivilege, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("POST \(emulator.endpoint)/redfish/v1/Systems/system-1/Actions/ComputerSystem.Reset answered HTTP 403 Forbidden: There are insufficient privileges"))
        }

        /// The layer refuses a PATCH without the system's current ETag (428) or with a stale one (412).
        @Test func theBootOverrideCarriesTheETag() async throws {
            let emulator = try await SushyEmulator.start(sessions: .init())
            defer { emulator.stop() }
            try await using(Self.backend(emulator)) { backend in
                try await backend.setBootDevice(BootDeviceRequest(device: .pxe, mode: .uefi, persistent: false))
            }
            let boot = try await emulator.system("system-1")["Boot"]
            #expect(boot?["BootSourceOverrideTarget"] == "Pxe")
            #expect(boot?["BootSourceOverrideMode"] == "UEFI")
        }
    }
}
