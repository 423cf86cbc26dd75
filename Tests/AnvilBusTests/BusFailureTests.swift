import AnvilBus
import AnvilJSON
import Testing

@Suite struct BusFailureTests {
    @Test func aCallInFlightWhenTheServerStopsIsAnswered() async throws {
        try await withTemporaryDirectory { directory in
            // A call that says when it has started, so the stop surely lands while it runs.
            let (started, startedContinuation) = AsyncStream<Void>.makeStream()
            var router = makeTestRouter()
            router.register("slow") { _ in
                startedContinuation.yield()
                try await Task.sleep(for: .milliseconds(1500))
                return ["slept": 1500]
            }
            let server = try await RunningServer.start(path: "\(directory)/k.sock", router: router)
            let client = BusClient(socketPath: server.path, defaultTimeout: .seconds(60))
            #expect(try await client.call("echo", params: [1]) == [1])
            async let answer = client.call("slow")
            for await _ in started { break }
            let stopping = ContinuousClock.now
            try await server.stop()
            let stopTook = ContinuousClock.now - stopping
            #expect(try await answer == ["slept": 1500], "the stop waited for the call in flight")
            print("stop with a call in flight took \(stopTook)")
            #expect(stopTook < .seconds(60))
            await client.close()
        }
    }

    @Test func serverStoppedMidCallFailsPendingCallsPromptly() async throws {
        try await withTemporaryDirectory { directory in
            // A call that outlives the stop's drain (1 s here) is cancelled then.
            let server = try await RunningServer.start(path: "\(directory)/k.sock", drainTimeout: .seconds(1))
            // The call's own timeout is far beyond the stop: what ends it must be the stop (under
            // the full suite's load a stop took over 5 s, and a 5 s timeout fired first).
            let client = BusClient(socketPath: server.path, defaultTimeout: .seconds(100))
            #expect(try await client.call("echo", params: [1]) == [1])

            async let outcome: (BusError?, Duration) = elapsed {
                await expectBusError { try await client.call("sleep", params: ["ms": 300_000]) }
            }
            try await Task.sleep(for: .milliseconds(200))
            try await server.stop()
            let (error, took) = await outcome
            // "closed" when the call was in flight; under heavy load the stop can land before the
            // request is written, and the client's reconnect is then "refused". Either way: at once.
            if error?.code == BusError.connectionClosedCode {
                #expect(error?.message == "bus peer at \(server.path) closed the connection")
            } else {
                #expect(error?.code == BusError.connectionRefusedCode, "\(String(describing: error))")
                #expect(error?.message.contains(server.path) == true)
            }
            #expect(took < .seconds(120), "well before the 300 s call would end")

            // Nobody listens any more: the next call retries within its timeout, then reports refusal.
            let (refused, refusedTook) = await elapsed {
                await expectBusError { try await client.call("echo", params: [2], timeout: .milliseconds(300)) }
            }
            #expect(refused?.code == BusError.connectionRefusedCode)
            #expect(refused?.message.contains(server.path) == true)
            #expect(refusedTook < .seconds(60))
            await client.close()
        }
    }

    @Test func callTimesOutWithoutBreakingTheConnection() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/t.sock")
            let client = BusClient(socketPath: server.path)
            let (error, took) = await elapsed {
                await expectBusError { try await client.call("sleep", params: ["ms": 300_000], timeout: .milliseconds(200)) }
            }
            #expect(error?.code == BusError.timeoutCode)
            #expect(error?.message == "call sleep timed out after 0.2s")
            #expect(took >= .milliseconds(190))
            // Wide margin: QEMU tests share the 2 cores; the point is "long before the call ends".
            #expect(took < .seconds(120), "before the 300 s call would end")
            #expect(try await client.call("echo", params: ["alive"]) == ["alive"])

            let defaultTimeout = BusClient(socketPath: server.path, defaultTimeout: .milliseconds(250))
            let second = await expectBusError { try await defaultTimeout.call("sleep", params: ["ms": 3000]) }
            #expect(second?.message == "call sleep timed out after 0.25s")
            await defaultTimeout.close()
            await client.close()
            try await server.stop()
        }
    }

    @Test func clientReconnectsAfterServerRestart() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/r.sock"
            let first = try await RunningServer.start(path: path)
            let client = BusClient(socketPath: path)
            #expect(try await client.call("echo", params: ["one"]) == ["one"])
            try await first.stop()

            // Restart a little later; the call in between retries with backoff until it connects.
            let restart = Task {
                try await Task.sleep(for: .milliseconds(300))
                return try await RunningServer.start(path: path)
            }
            // The client tries for about 2 s (10 attempts, backoff to 500 ms); on a loaded machine
            // the restart can come later than that, and then a second call must connect.
            var (value, took) = await elapsed { try? await client.call("echo", params: ["two"], timeout: .seconds(30)) }
            if value == nil {
                _ = try await restart.value
                (value, took) = await elapsed { try? await client.call("echo", params: ["two"], timeout: .seconds(30)) }
            } else {
                #expect(took >= .milliseconds(250))
            }
            #expect(value == ["two"])
            let second = try await restart.value
            #expect(second.server.statistics.connectionsAccepted >= 1)
            #expect(try await client.call("add", params: [2, 3]) == 5)
            await client.close()
            try await second.stop()
        }
    }

    @Test func closedClientRefusesCalls() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/x.sock")
            let client = BusClient(socketPath: server.path)
            #expect(try await client.call("echo", params: [1]) == [1])
            await client.close()
            let error = await expectBusError { try await client.call("echo", params: [2]) }
            #expect(error?.code == BusError.connectionClosedCode)
            try await server.stop()
        }
    }

    @Test func cancellingACallEndsItPromptly() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/cc.sock")
            let client = BusClient(socketPath: server.path)
            let call = Task { try await client.call("sleep", params: ["ms": 300_000]) }
            try await Task.sleep(for: .milliseconds(100))
            let (result, took) = await elapsed {
                call.cancel()
                return await call.result
            }
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(took < .seconds(120), "well before the 300 s call would end")
            #expect(try await client.call("echo", params: [3]) == [3])
            await client.close()
            try await server.stop()
        }
    }

    @Test func manyClientsAtOnce() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/many.sock")
            let clients = (0..<100).map { _ in BusClient(socketPath: server.path, defaultTimeout: .seconds(20)) }
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        var done = 0
                        for call in 0..<5 {
                            let sum = try await client.call("add", params: [.int(Int64(index)), .int(Int64(call))])
                            #expect(sum == .int(Int64(index + call)))
                            done += 1
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(total == 500)
            let stats = server.server.statistics
            #expect(stats.connectionsAccepted == 1 + 100)  // the readiness probe, then the clients
            #expect(stats.requestsServed == 500)
            #expect(stats.errors == 0)
            for client in clients { await client.close() }
            try await server.stop()
        }
    }
}
