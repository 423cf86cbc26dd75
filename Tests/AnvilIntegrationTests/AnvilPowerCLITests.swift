import Foundation
import Testing

/// `anvil power …` under `anvil up`, against a real BMC (ipmi_sim): one line per result or error.
@Suite struct AnvilPowerCLITests {
    @Test func anvilPowerDrivesIpmiSimUnderAnvilUp() async throws {
        let sim = try await IPMISimulator()
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let offset = Int.random(in: 5000...8999)
        let up = try ChildProcess(
            BuiltProducts.url("anvil"), ["up", "--port-offset", "\(offset)"], environment: ["ANVIL_STATE": state.path])
        try await up.waitForOutput("daemons running", timeout: .seconds(90))

        _ = try await anvil.ok("apply", "-f", "-", stdin: """
            apiVersion: metal.sidero.dev/v1alpha2
            kind: Server
            metadata:
              name: 4c4c4544-0000-1000-8000-000000000001
            spec:
              accepted: false
              bmc:
                endpoint: 127.0.0.1
                port: \(sim.port)
                user: admin
                pass: password
            """)
        let name = "4c4c4544-0000-1000-8000-000000000001"
        // Not accepted: the reconciler never powers it, so every change here is the CLI's.
        #expect(try await anvil.ok("power", "status", name) == "\(name): power off (ipmi)\n")
        #expect(try await anvil.ok("power", "on", name) == "\(name): powered on (ipmi)\n")
        #expect(try await sim.oraclePower() == "on")
        #expect(try await anvil.ok("power", "pxe", name, "--mode", "bios") == "\(name): next boot from pxe (bios) (ipmi)\n")
        #expect(try await anvil.ok("power", "cycle", name) == "\(name): power cycled (ipmi)\n")
        #expect(try await anvil.ok("power", "off", name) == "\(name): powered off (ipmi)\n")
        #expect(try await sim.oraclePower() == "off")
        let get = try await anvil.ok("get", "servers")
        #expect(get.contains("off"), "the Power column shows bmcd's last reading: \(get)")

        let missing = try await anvil.run("power", "status", "no-such-server")
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: server no-such-server not found\n")
        let bad = try await anvil.run("power", "explode", name)
        #expect(bad.status != 0)

        up.signal(SIGINT)
        _ = try await up.wait(timeout: .seconds(60))
    }
}
