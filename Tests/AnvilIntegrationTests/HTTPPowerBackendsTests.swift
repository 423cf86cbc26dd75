import AnvilJSON
import Foundation
import Testing

/// bmcd's Redfish and management-API back-ends end to end: a Server's `spec.redfish` against
/// sushy-emulator (pip sushy-tools, fake driver) and its `spec.managementApi` against a stand-in
/// for Sidero's QEMU power API, both on 127.0.0.1.
@Suite struct HTTPPowerBackendsTests {
    static let redfishServer = "00000000-0000-4000-8000-0000000000f1"
    static let managementServer = "00000000-0000-4000-8000-0000000000f2"

    @Test func redfishThroughBmcd() async throws {
        guard let emulator = Self.which("sushy-emulator") else {
            throw TestFailure("sushy-emulator is not installed (pip install sushy-tools; .ci/run installs it)")
        }
        let work = try TemporaryDirectory()
        let port = try HTTPDaemon.freeTCPPort()
        _ = try work.file("emulator.conf", contents: """
            SUSHY_EMULATOR_STATE_DIR = '\(work.path)/state'
            SUSHY_EMULATOR_FAKE_SYSTEMS = [{'uuid': 'sys-1', 'name': 'sys-1', 'power_state': 'Off', 'nics': []}]

            """)
        let sushy = try ChildProcess(URL(fileURLWithPath: emulator), ["--config", work.path + "/emulator.conf", "--fake", "-i", "127.0.0.1", "-p", "\(port)"])
        defer { sushy.signal(SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(60)
        while (try? await HTTPGet.fetch("http://127.0.0.1:\(port)/redfish/v1/"))?.status != 200 {
            guard ContinuousClock.now < deadline else { throw TestFailure("sushy-emulator did not answer: \(sushy.stderr.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(200))
        }

        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer(Self.redfishServer, spec: ["redfish": .object(["endpoint": .string("http://127.0.0.1:\(port)"), "auth": "basic"])])
        let status = try await bmcd.call("power.status", ["server": .string(Self.redfishServer)]).get()
        #expect(status["power"]?.stringValue == "off", "\(status)")
        #expect(status["backend"]?.stringValue == "redfish")
        _ = try await bmcd.call("power.on", ["server": .string(Self.redfishServer)]).get()
        // sushy's fake driver applies power changes 1-11 s later.
        #expect(try await Self.eventually { try await bmcd.call("power.status", ["server": .string(Self.redfishServer)]).get()["power"]?.stringValue == "on" })
        _ = try await bmcd.call("boot.setDevice", ["server": .string(Self.redfishServer), "device": "pxe", "mode": "uefi"]).get()
        let system = try await HTTPGet.fetch("http://127.0.0.1:\(port)/redfish/v1/Systems/sys-1")
        #expect(system.body.contains("\"BootSourceOverrideTarget\": \"Pxe\"") || system.body.contains("\"BootSourceOverrideTarget\":\"Pxe\""), "\(system.body)")
        _ = try await bmcd.call("power.off", ["server": .string(Self.redfishServer)]).get()
        #expect(try await Self.eventually { try await bmcd.call("power.status", ["server": .string(Self.redfishServer)]).get()["power"]?.stringValue == "off" })
        let server = try await bmcd.server(Self.redfishServer)
        #expect(server.status.power == .off)
        #expect(server.status.condition("BMCReady")?.status == "True")
        try await bmcd.stop()
    }

    @Test func managementAPIThroughBmcd() async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("AnvilPowerTests/Peers/management_api_server.py").path
        let api = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, "--port", "0"])
        defer { api.signal(SIGKILL) }
        try await api.waitForOutput("LISTENING")
        let port = try #require(api.stdout.split(separator: "\n").first { $0.hasPrefix("LISTENING") }.flatMap { Int($0.split(separator: " ")[1]) })

        let bmcd = try await BMCDaemon()
        try await bmcd.applyServer(Self.managementServer, spec: ["managementApi": .object(["endpoint": .string("127.0.0.1:\(port)")])])
        #expect(try await bmcd.call("power.status", ["server": .string(Self.managementServer)]).get()["power"]?.stringValue == "off")
        _ = try await bmcd.call("boot.setDevice", ["server": .string(Self.managementServer), "device": "pxe"]).get()
        _ = try await bmcd.call("power.on", ["server": .string(Self.managementServer)]).get()
        let result = try await bmcd.call("power.status", ["server": .string(Self.managementServer)]).get()
        #expect(result["power"]?.stringValue == "on")
        #expect(result["backend"]?.stringValue == "managementApi")
        let state = try await HTTPGet.fetch("http://127.0.0.1:\(port)/_state")
        #expect(state.body.contains("\"PXEBoots\": 1"), "\(state.body)")

        let soft = await bmcd.call("power.softOff", ["server": .string(Self.managementServer)])
        guard case .failure(let error) = soft else { Issue.record("the management API has no soft off"); return }
        #expect(error.data?["reason"]?.stringValue == "NotSupported")
        try await bmcd.stop()
    }

    static func eventually(within seconds: Int = 90, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(500))
        }
        return false
    }

    static func which(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/local/bin", "/root/.local/bin"]
        return paths.map { $0 + "/" + tool }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
