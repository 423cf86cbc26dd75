import AnvilJSON
import Testing

@testable import AnvilPower

extension ManagementAPIPeerTests {
    /// Every call of the management API against Peers/management_api_server.py.
    @Suite struct ManagementAPIBackendTests {
        @Test func powerOnAndOffAreSeenByTheServerAndThroughStatus() async throws {
            let peer = try await ManagementAPIPeer.start()
            defer { peer.stop() }
            try await using(ManagementAPIBackend(endpoint: peer.endpoint)) { backend in
                #expect(try await backend.powerState() == false)
                try await backend.power(.on)
                #expect(try await peer.state()["PoweredOn"] == true)
                #expect(try await backend.powerState() == true)
                try await backend.power(.off)
                #expect(try await peer.state()["PoweredOn"] == false)
                #expect(try await backend.powerState() == false)
            }
            #expect(try await peer.state()["Calls"] == [
                "GET /status", "POST /poweron", "GET /status", "POST /poweroff", "GET /status",
            ])
        }

        @Test func cycleAndResetBothReboot() async throws {
            let peer = try await ManagementAPIPeer.start()
            defer { peer.stop() }
            try await using(ManagementAPIBackend(endpoint: peer.endpoint)) { backend in
                try await backend.power(.cycle)
                try await backend.power(.reset)
            }
            #expect(try await peer.state()["Reboots"] == 2)
            #expect(try await peer.state()["Calls"] == ["POST /reboot", "POST /reboot"])
        }

        @Test func softOffIsNotSupportedAndSendsNothing() async throws {
            let peer = try await ManagementAPIPeer.start()
            defer { peer.stop() }
            let error = try await using(ManagementAPIBackend(endpoint: peer.endpoint)) { backend in
                await powerError { () async throws(PowerError) in try await backend.power(.softOff) }
            }
            #expect(error == .notSupported("the management API has no soft power-off"))
            #expect(try await peer.state()["Calls"] == [])
        }

        @Test func pxeBootIsSentAndDiskIsNotSupported() async throws {
            let peer = try await ManagementAPIPeer.start()
            defer { peer.stop() }
            let diskError = try await using(ManagementAPIBackend(endpoint: peer.endpoint)) { backend in
                // The mode has no meaning for this API: BIOS and UEFI both just ask for a PXE boot.
                try await backend.setBootDevice(BootDeviceRequest(device: .pxe, mode: .bios, persistent: false))
                try await backend.setBootDevice(BootDeviceRequest(device: .pxe, mode: .uefi, persistent: true))
                return await powerError { () async throws(PowerError) in
                    try await backend.setBootDevice(BootDeviceRequest(device: .disk))
                }
            }
            #expect(try await peer.state()["PXEBoots"] == 2)
            guard case .notSupported(let message) = diskError else {
                Issue.record("expected notSupported, got \(String(describing: diskError))")
                return
            }
            #expect(message.contains("disk"))
        }

        @Test func infoNamesKindAndEndpoint() async throws {
            let peer = try await ManagementAPIPeer.start()
            defer { peer.stop() }
            let info = try await using(ManagementAPIBackend(endpoint: peer.endpoint)) { try await $0.info() }
            #expect(info == ["kind": "managementApi", "endpoint": peer.endpoint])
        }

        @Test func aNon200AnswerNamesTheURLAndTheStatus() async throws {
            let peer = try await ManagementAPIPeer.start(fail: ["/poweron": 500, "/status": 404])
            defer { peer.stop() }
            let (powerOn, status) = try await using(ManagementAPIBackend(endpoint: peer.endpoint)) { backend in
                (await powerError { () async throws(PowerError) in try await backend.power(.on) },
                 await powerError { () async throws(PowerError) in _ = try await backend.powerState() })
            }
            guard case .protocolError(let message) = powerOn else {
                Issue.record("expected protocolError, got \(String(describing: powerOn))")
                return
            }
            #expect(message.contains("POST http://\(peer.endpoint)/poweron"))
            #expect(message.contains("HTTP 500 Internal Server Error"))
            guard case .protocolError(let statusMessage) = status else {
                Issue.record("expected protocolError, got \(String(describing: status))")
                return
            }
            #expect(statusMessage.contains("GET http://\(peer.endpoint)/status answered HTTP 404"))
        }

        @Test func aHangPastTheTimeoutIsUnreachable() async throws {
            let peer = try await ManagementAPIPeer.start(hang: ["/status"])
            defer { peer.stop() }
            let error = try await using(ManagementAPIBackend(endpoint: peer.endpoint, timeout: .seconds(1))) { backend in
                await powerError { () async throws(PowerError) in _ = try await backend.powerState() }
            }
            #expect(error == .unreachable("GET http://\(peer.endpoint)/status: no answer within 1 s"))
            #expect(try await peer.state()["Calls"] == ["GET /status"])
        }

        @Test func nothingListeningIsUnreachable() async throws {
            let port = try Loopback.freePort()
            let error = try await using(ManagementAPIBackend(endpoint: "127.0.0.1:\(port)", timeout: .seconds(5))) { backend in
                await powerError { () async throws(PowerError) in try await backend.power(.on) }
            }
            guard case .unreachable(let message) = error else {
                Issue.record("expected unreachable, got \(String(describing: error))")
                return
            }
            #expect(message.hasPrefix("POST http://127.0.0.1:\(port)/poweron: "))
        }
    }
}
