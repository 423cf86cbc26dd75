import AnvilBus
import Foundation
import Testing

/// `anvil up` supervises all five daemons: starts them, restarts a crashed one, stops all on Ctrl-C.
@Suite struct UpTests {
    @Test func upStartsRestartsAndStopsEveryDaemon() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let offset = Int.random(in: 1000...4999)
        let up = try ChildProcess(
            BuiltProducts.url("anvil"), ["up", "--port-offset", "\(offset)"], environment: ["ANVIL_STATE": state.path])
        try await up.waitForOutput("daemons running", timeout: .seconds(90))
        #expect(up.stdout.contains("anvil up: 5 daemons running"))

        let status = try await anvil.ok("status")
        let rows = status.split(separator: "\n").dropFirst()
        #expect(rows.count == 5)
        for service in ["tftpd", "bootd", "metadatad", "bmcd", "reconciler"] {
            let row = try #require(rows.first { $0.hasPrefix(service + " ") })
            #expect(row.contains(" up "), "\(service) should be up: \(row)")
            #expect(FileManager.default.fileExists(atPath: "\(state.path)/logs/\(service).log"))
        }
        // Prefixed daemon output on the terminal.
        #expect(up.stdout.contains("bootd     | "))
        // bootd listens on 8081 + offset.
        let healthz = try await HTTPGet.fetch("http://127.0.0.1:\(8081 + offset)/healthz")
        #expect(healthz.status == 200)

        // Kill bmcd outright: the supervisor restarts it with a new pid.
        let client = BusClient(socketPath: "\(state.path)/run/bmcd.sock", defaultTimeout: .seconds(2))
        let firstPID = try #require(try await client.call("service.info")["pid"]?.intValue)
        await client.close()
        kill(Int32(firstPID), SIGKILL)
        try await up.waitForOutput("bmcd was killed by signal 9; restarting", timeout: .seconds(20))
        var secondPID: Int64?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let fresh = BusClient(socketPath: "\(state.path)/run/bmcd.sock", defaultTimeout: .seconds(1))
            if let pid = try? await fresh.call("service.info")["pid"]?.intValue, pid != firstPID { secondPID = pid }
            await fresh.close()
            if secondPID != nil { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(secondPID != nil, "bmcd came back under a new pid")

        let logs = try await anvil.ok("logs", "tftpd")
        #expect(logs.contains("service=tftpd"))

        up.signal(SIGINT)
        let result = try await up.wait(timeout: .seconds(40))
        #expect(result.status == 0)
        #expect(result.stdout.contains("anvil up: stopped"))
        for service in ["tftpd", "bootd", "metadatad", "bmcd", "reconciler"] {
            #expect(!FileManager.default.fileExists(atPath: "\(state.path)/run/\(service).sock"), "\(service) socket removed")
            let log = try String(contentsOfFile: "\(state.path)/logs/\(service).log", encoding: .utf8)
            #expect(log.contains("msg=stopped"), "\(service) stopped gracefully")
        }
        let after = try await anvil.ok("status")
        #expect(!after.contains(" up "))
    }

    @Test func missingDaemonBinaryIsOneClearLine() async throws {
        let state = try TemporaryDirectory()
        // An `anvil` alone in a directory, with none of the daemons built beside it.
        let lonely = state.url.appendingPathComponent("anvil")
        try FileManager.default.copyItem(at: BuiltProducts.url("anvil"), to: lonely)
        let result = try await ChildProcess.run(lonely, ["up", "--state", state.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: tftpd is not built"))
        #expect(result.stderr.contains("swift build"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
