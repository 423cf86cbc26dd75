import AnvilBus
import AnvilJSON
import Testing

/// Bytes no well-behaved client would send, written straight to the socket.
@Suite struct BusWireTests {
    @Test func malformedJSONGetsParseErrorAndConnectionStaysUsable() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/m.sock")
            let raw = try RawSocket(path: server.path)

            try raw.sendFrame(#"{"jsonrpc":"2.0","method":"echo","id":1"#)
            let parse = try #require(try await raw.receiveFrame())
            #expect(parse["error"]?["code"] == -32700)
            #expect(parse["id"] == .null)

            try raw.send(RawSocket.frame([]))  // zero-length frame
            #expect(try await raw.receiveFrame()?["error"]?["code"] == -32700)

            try raw.send(RawSocket.frame([0xFF, 0xFE, 0x00]))  // not UTF-8 JSON
            #expect(try await raw.receiveFrame()?["error"]?["code"] == -32700)

            for invalid in [#"{"method":"echo","id":2}"#, #"{"jsonrpc":"1.0","method":"echo","id":2}"#, #"{"jsonrpc":"2.0","method":5,"id":2}"#, #"{"jsonrpc":"2.0","method":"echo","params":3,"id":2}"#, "42"] {
                try raw.sendFrame(invalid)
                let reply = try #require(try await raw.receiveFrame())
                #expect(reply["error"]?["code"] == -32600, "\(invalid)")
            }
            try raw.sendFrame(#"{"jsonrpc":"2.0","method":"echo","id":{"bad":1}}"#)
            #expect(try await raw.receiveFrame()?["error"]?["code"] == -32600)

            try raw.sendFrame(#"{"jsonrpc":"2.0","method":"add","params":[3,4],"id":"after"}"#)
            #expect(try await raw.receiveFrame() == ["jsonrpc": "2.0", "result": 7, "id": "after"])
            try await server.stop()
        }
    }

    @Test func bytesThatAreNotAFrameAreRejectedAndClosed() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/g.sock")
            // Text without a length prefix: "GET " reads as a 1.2 GB length.
            let raw = try RawSocket(path: server.path)
            try raw.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            let reply = try #require(try await raw.receiveFrame())
            #expect(reply["error"]?["code"] == -32600)
            #expect(reply["error"]?["message"]?.stringValue?.contains("exceeds the 1048576-byte limit") == true)
            #expect(try await raw.receivesEOF())

            // A truncated frame, then the sender goes away: the server shrugs and keeps serving.
            let truncated = try RawSocket(path: server.path)
            try truncated.send(RawSocket.frame(Array(#"{"jsonrpc":"2.0","method":"echo","id":1}"#.utf8)).dropLast(10).map { $0 })
            truncated.close()
            let header = try RawSocket(path: server.path)
            try header.send([0, 0])  // half a length prefix
            header.close()

            let client = BusClient(socketPath: server.path)
            #expect(try await client.call("echo", params: ["still here"]) == ["still here"])
            await client.close()
            try await server.stop()
        }
    }

    @Test func oversizedFrameIsAnsweredThenClosed() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/o.sock")
            let raw = try RawSocket(path: server.path)
            let declared: UInt32 = 2_000_000
            let header = [UInt8(declared >> 24), UInt8((declared >> 16) & 0xFF), UInt8((declared >> 8) & 0xFF), UInt8(declared & 0xFF)]
            try raw.send(header + Array(repeating: UInt8(ascii: "x"), count: 4096))
            let reply = try #require(try await raw.receiveFrame())
            #expect(reply["error"]?["code"] == -32600)
            #expect(reply["error"]?["message"] == "frame of 2000000 bytes exceeds the 1048576-byte limit")
            #expect(reply["id"] == .null)
            #expect(try await raw.receivesEOF())
            #expect(server.server.statistics.errors == 1)
            try await server.stop()
        }
    }

    @Test func smallerConfiguredLimitIsEnforcedBothWays() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/l.sock", maxFrameSize: 1024)
            let raw = try RawSocket(path: server.path)
            try raw.sendFrame(#"{"jsonrpc":"2.0","method":"echo","params":""# + String(repeating: "y", count: 2000) + #"","id":1}"#)
            let reply = try #require(try await raw.receiveFrame())
            #expect(reply["error"]?["message"]?.stringValue?.hasSuffix("exceeds the 1024-byte limit") == true)
            #expect(try await raw.receivesEOF())

            // The client refuses to send what the limit forbids, without touching the connection.
            let client = BusClient(socketPath: server.path, maxFrameSize: 1024)
            let refused = await expectBusError {
                try await client.call("echo", params: [.string(String(repeating: "z", count: 5000))])
            }
            #expect(refused?.code == BusError.frameTooLargeCode)
            #expect(refused?.message.contains("exceeds the 1024-byte limit") == true)
            // A server response larger than the limit becomes an internal error, not a broken connection.
            let small = BusClient(socketPath: server.path, maxFrameSize: 1024)
            let tooBig = await expectBusError {
                try await small.call("repeat", params: ["count": 2000], timeout: .seconds(2))
            }
            #expect(tooBig?.code == -32603)
            #expect(tooBig?.message.contains("exceeds the 1024-byte limit") == true)
            #expect(try await client.call("echo", params: ["ok"]) == ["ok"])
            await client.close()
            await small.close()
            try await server.stop()
        }
    }
}
