import AnvilBus
import AnvilJSON
import Foundation
import Testing

/// A daemon killed outright (SIGKILL) in the middle of a call: the client gets an error, never hangs.
@Suite struct BusPeerKilledTests {
    @Test func clientFailsPromptlyWhenTheDaemonDiesMidCall() async throws {
        let state = try TemporaryDirectory()
        let daemon = try ChildProcess(
            BuiltProducts.url("bmcd"), ["--local", "--state", state.path, "--http-port", "0"],
            environment: ["ANVIL_DEBUG_METHODS": "1"])
        let client = BusClient(socketPath: "\(state.path)/run/bmcd.sock", defaultTimeout: .seconds(30))
        var ready = false
        for _ in 0..<600 where !ready {
            ready = (try? await client.call("health.check")) != nil
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready)

        let call = Task { try await client.call("debug.delay", params: ["ms": 60_000]) }
        try await Task.sleep(for: .milliseconds(300))
        daemon.signal(SIGKILL)
        do {
            _ = try await call.value
            Issue.record("the call should have failed")
        } catch let error as BusError {
            // Reported as soon as the peer dies, not after the 30 s timeout: "closed" when the call was
            // in flight, "refused" when the client noticed the dead connection before sending and
            // tried to reconnect (under load the kill can land before the request is written).
            #expect([BusError.connectionClosedCode, BusError.connectionRefusedCode].contains(error.code), "\(error)")
        }
        _ = try await daemon.wait()

        // The next call fails cleanly too (nobody listens on the stale socket).
        do {
            _ = try await client.call("health.check", timeout: .seconds(2))
            Issue.record("no daemon should answer")
        } catch let error as BusError {
            #expect([BusError.connectionRefusedCode, BusError.connectionClosedCode, BusError.timeoutCode].contains(error.code))
        }
        await client.close()

        // A restarted daemon removes the stale socket and serves again.
        let again = try ChildProcess(BuiltProducts.url("bmcd"), ["--local", "--state", state.path, "--http-port", "0"])
        let fresh = BusClient(socketPath: "\(state.path)/run/bmcd.sock", defaultTimeout: .seconds(2))
        var answered = false
        for _ in 0..<600 where !answered {
            answered = (try? await fresh.call("health.check")) != nil
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(answered)
        await fresh.close()
        again.signal(SIGTERM)
        #expect(try await again.wait().status == 0)
    }
}
