import AnvilBus
import AnvilJSON
import Testing

@Suite struct BusRoundTripTests {
    @Test func callReturnsTheResult() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/echo.sock")
            let client = BusClient(socketPath: server.path)
            let params: JSONValue = ["name": "m-1", "tags": ["a", "b"], "count": 3, "ratio": 0.5, "ok": true, "none": .null]
            #expect(try await client.call("echo", params: params) == params)
            #expect(try await client.call("echo") == .null)
            #expect(try await client.call("add", params: [40, 2]) == 42)
            await client.close()
            try await server.stop()
        }
    }

    @Test func concurrentCallsShareOneConnection() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/c.sock")
            let client = BusClient(socketPath: server.path)
            let results = try await withThrowingTaskGroup(of: (Int64, JSONValue).self) { group in
                for index in Int64(0)..<64 {
                    group.addTask { (index, try await client.call("add", params: [.int(index), 1000])) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(results.count == 64)
            for (index, sum) in results { #expect(sum == .int(index + 1000)) }
            #expect(server.server.statistics.connectionsAccepted == 1 + 1)  // the readiness probe, then the client

            // A slow call does not hold up a fast one on the same connection: the echo is answered
            // long before the 300 s call could end (wide bound: CI shares two cores with QEMU), and
            // the connection survives cancelling the slow call.
            let slow = Task { try await client.call("sleep", params: ["ms": 300_000], timeout: .seconds(600)) }
            let (fast, fastTime) = try await elapsed { try await client.call("echo", params: ["quick"]) }
            #expect(fast == ["quick"])
            #expect(fastTime < .seconds(120))
            slow.cancel()
            await #expect(throws: CancellationError.self) { try await slow.value }
            #expect(try await client.call("echo", params: ["after"]) == ["after"])
            await client.close()
            try await server.stop()
        }
    }

    @Test func notificationsAreHandledWithoutAnswer() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/n.sock")
            let client = BusClient(socketPath: server.path)
            try await client.notify("record", params: ["event": "first"])
            try await client.notify("record", params: ["event": "second"])
            try await client.notify("no.such.method")
            // Frames on one connection are read in order, so both records happened before this answer... eventually.
            var recorded: JSONValue = []
            for _ in 0..<100 {
                recorded = try await client.call("recorded")
                if recorded.arrayValue?.count == 2 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(recorded == [["event": "first"], ["event": "second"]])

            // On the wire: a notification gets no response; the next request's answer comes first.
            let raw = try RawSocket(path: server.path)
            try raw.sendFrame(#"{"jsonrpc":"2.0","method":"echo","params":["ignored"]}"#)
            try raw.sendFrame(#"{"jsonrpc":"2.0","method":"echo","params":["answered"],"id":"r1"}"#)
            #expect(try await raw.receiveFrame() == ["jsonrpc": "2.0", "result": ["answered"], "id": "r1"])
            await client.close()
            try await server.stop()
        }
    }

    @Test func batchesMixResultsAndErrors() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/b.sock")
            let client = BusClient(socketPath: server.path)
            let results = try await client.batch([
                (method: "add", params: [1, 2]),
                (method: "missing", params: nil),
                (method: "echo", params: ["x": 1]),
                (method: "fail", params: nil),
            ])
            #expect(results.count == 4)
            #expect(try results[0].get() == 3)
            #expect(throws: BusError.self) { try results[1].get() }
            if case .failure(let error) = results[1] { #expect(error.code == -32601) }
            #expect(try results[2].get() == ["x": 1])
            if case .failure(let error) = results[3] { #expect(error.code == -32042) }
            #expect(try await client.batch([]).isEmpty)
            await client.close()

            let raw = try RawSocket(path: server.path)
            // Empty batch: one -32600 error, not an array.
            try raw.sendFrame("[]")
            let empty = try #require(try await raw.receiveFrame())
            #expect(empty["error"]?["code"] == -32600)
            #expect(empty["id"] == .null)
            // All notifications: no response at all; the next request's answer comes first.
            try raw.sendFrame(#"[{"jsonrpc":"2.0","method":"record","params":[1]},{"jsonrpc":"2.0","method":"echo"}]"#)
            try raw.sendFrame(#"{"jsonrpc":"2.0","method":"echo","params":["after"],"id":7}"#)
            #expect(try await raw.receiveFrame() == ["jsonrpc": "2.0", "result": ["after"], "id": 7])
            // Mixed with an invalid element and a notification: answers only for the requests, in order.
            try raw.sendFrame(
                #"[{"jsonrpc":"2.0","method":"add","params":[2,2],"id":1},1,{"jsonrpc":"2.0","method":"record","params":[2]},{"jsonrpc":"2.0","method":"echo","params":["s"],"id":"two"}]"#
            )
            let mixed = try #require(try await raw.receiveFrame()?.arrayValue)
            #expect(mixed.count == 3)
            #expect(mixed[0] == ["jsonrpc": "2.0", "result": 4, "id": 1])
            #expect(mixed[1]["error"]?["code"] == -32600)
            #expect(mixed[1]["id"] == .null)
            #expect(mixed[2] == ["jsonrpc": "2.0", "result": ["s"], "id": "two"])
            try await server.stop()
        }
    }

    @Test func errorsCarryCodesMessagesAndData() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/e.sock")
            let client = BusClient(socketPath: server.path)

            let unknown = await expectBusError { try await client.call("machines.explode") }
            #expect(unknown?.code == -32601)
            #expect(unknown?.message.contains("machines.explode") == true)

            let invalid = await expectBusError { try await client.call("add", params: ["one", 2]) }
            #expect(invalid?.code == BusError.invalidParamsCode)
            #expect(invalid?.message.contains("add expects") == true)

            let application = await expectBusError { try await client.call("fail") }
            #expect(application == BusError(code: -32042, message: "machine is locked", data: ["machine": "m-1", "holder": "reconciler"]))

            let crash = await expectBusError { try await client.call("crash") }
            #expect(crash?.code == -32603)
            #expect(crash?.message.contains("the disk is on fire") == true)

            // The connection survives error responses.
            #expect(try await client.call("add", params: [1, 1]) == 2)
            let stats = server.server.statistics
            #expect(stats.requestsServed == 5)
            #expect(stats.errors == 4)
            await client.close()
            try await server.stop()
        }
    }

    @Test func standardErrorConstructors() {
        #expect(BusError.parseError.code == -32700)
        #expect(BusError.invalidRequest.code == -32600)
        #expect(BusError.methodNotFound("x.y").message.contains("x.y"))
        #expect(BusError.invalidParams("bad").code == -32602)
        #expect(BusError.internalError("oops").code == -32603)
        #expect(BusError.timeout(method: "power.on", after: .seconds(5)).message == "call power.on timed out after 5s")
        #expect(BusError.connectionClosed(path: "/run/x.sock").message == "bus peer at /run/x.sock closed the connection")
        #expect(BusError.oversizedRequest(size: 2_000_000, limit: 1 << 20).message == "frame of 2000000 bytes exceeds the 1048576-byte limit")
        let error = BusError(code: 7, message: "m", data: ["k": 1])
        #expect(error.description.contains("7"))
    }
}
