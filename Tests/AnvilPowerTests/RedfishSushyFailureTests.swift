import Testing

@testable import AnvilPower

extension RedfishPeerTests {
    /// What goes wrong, against sushy-emulator: credentials, no listener, ambiguous system, TLS.
    @Suite struct RedfishSushyFailureTests {
        @Test func wrongCredentialsAreAnAuthenticationFailureWithTheBMCsMessage() async throws {
            let emulator = try await SushyEmulator.start(authentication: true)
            defer { emulator.stop() }
            let backend = try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: emulator.endpoint, user: SushyEmulator.user, password: "wrong", authentication: .basic))
            let error = try await using(backend) { backend in
                await powerError { () async throws(PowerError) in _ = try await backend.powerState() }
            }
            #expect(error == .authenticationFailed(
                "GET \(emulator.endpoint)/redfish/v1/Systems answered HTTP 401 Unauthorized: Incorrect username or password"))
        }

        @Test func sessionAuthenticationAgainstAServiceWithoutSessionsSaysSo() async throws {
            let emulator = try await SushyEmulator.start()
            defer { emulator.stop() }
            let backend = try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: emulator.endpoint, user: SushyEmulator.user, password: SushyEmulator.password))
            let error = try await using(backend) { backend in
                await powerError { () async throws(PowerError) in _ = try await backend.powerState() }
            }
            guard case .notSupported(let message) = error else {
                Issue.record("expected notSupported, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("POST \(emulator.endpoint)/redfish/v1/SessionService/Sessions answered HTTP 404"))
            #expect(message.hasSuffix("(the service has no sessions; use auth: basic)"))
        }

        @Test func nothingListeningIsUnreachable() async throws {
            let port = try Loopback.freePort()
            let backend = try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: "http://127.0.0.1:\(port)", authentication: .basic, timeout: .seconds(5)))
            let error = try await using(backend) { backend in
                await powerError { () async throws(PowerError) in _ = try await backend.powerState() }
            }
            guard case .unreachable(let message) = error else {
                Issue.record("expected unreachable, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("GET http://127.0.0.1:\(port)/redfish/v1/Systems: "))
        }

        @Test func severalSystemsAndNoSystemIdIsAConfigurationError() async throws {
            let emulator = try await SushyEmulator.start(systems: ["node-a", "node-b"])
            defer { emulator.stop() }
            let backend = try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: emulator.endpoint, authentication: .basic))
            let error = try await using(backend) { backend in
                await powerError { () async throws(PowerError) in try await backend.power(.on) }
            }
            guard case .invalidConfiguration(let message) = error else {
                Issue.record("expected invalidConfiguration, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("the BMC has several systems ("))
            #expect(message.contains("node-a") && message.contains("node-b"))
            #expect(emulator.resetRequests("node-a") + emulator.resetRequests("node-b") == 0)
        }

        @Test func aSelfSignedCertificateIsRefusedUnlessAskedFor() async throws {
            let emulator = try await SushyEmulator.start(tls: true)
            defer { emulator.stop() }
            let strict = try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: emulator.endpoint, authentication: .basic))
            let error = try await using(strict) { backend in
                await powerError { () async throws(PowerError) in _ = try await backend.powerState() }
            }
            guard case .unreachable(let message) = error else {
                Issue.record("expected unreachable, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("TLS: GET \(emulator.endpoint)/redfish/v1/Systems: "))
            #expect(message.contains("insecureSkipVerify"))

            let trusting = try RedfishBackend(configuration: RedfishConfiguration(
                endpoint: emulator.endpoint, authentication: .basic, insecureSkipVerify: true))
            let on = try await using(trusting) { try await $0.powerState() }
            #expect(on == false)
        }
    }
}
