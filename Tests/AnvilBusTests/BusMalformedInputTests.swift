import AnvilBus
import AnvilJSON
import Foundation
import Testing

/// The bus's answer to every kind of bad request: malformed, oversized, deeply nested, unknown,
/// wrongly typed, and slow. Each gets its JSON-RPC error and the server keeps serving.
@Suite struct BusMalformedInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var payload: [UInt8]
        /// The JSON-RPC error code expected.
        var code: Int64
        /// A fragment of the error message.
        var message: String
        /// The server closes the connection after answering (the stream can no longer be framed).
        var closes = false
    }

    static var cases: [Case] {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        return [
            Case(description: "malformed JSON", payload: Array(#"{"jsonrpc":"2.0","method":"#.utf8), code: -32700, message: "Parse error"),
            Case(description: "not UTF-8", payload: [0xC3, 0x28, 0xFF], code: -32700, message: "Parse error"),
            Case(
                description: "100 000 nested arrays as params",
                payload: Array((#"{"jsonrpc":"2.0","method":"echo","id":1,"params":"# + nested + "}").utf8), code: -32700,
                message: "Parse error"),
            Case(description: "unknown method", payload: Array(#"{"jsonrpc":"2.0","method":"no.such","id":2}"#.utf8), code: -32601, message: "Method not found: no.such"),
            Case(
                description: "wrong param types", payload: Array(#"{"jsonrpc":"2.0","method":"add","params":["3",{}],"id":3}"#.utf8),
                code: -32602, message: "Invalid params: add expects [integer, integer]"),
            Case(description: "params a string", payload: Array(#"{"jsonrpc":"2.0","method":"echo","params":"x","id":4}"#.utf8), code: -32600, message: "Invalid Request"),
            Case(description: "method not a string", payload: Array(#"{"jsonrpc":"2.0","method":["echo"],"id":5}"#.utf8), code: -32600, message: "Invalid Request"),
            Case(
                description: "a line over the 1 MiB frame limit",
                payload: Array((#"{"jsonrpc":"2.0","method":"echo","params":[""# + String(repeating: "x", count: 1_100_000) + #""],"id":6}"#).utf8),
                code: -32600, message: "exceeds the 1048576-byte limit", closes: true),
        ]
    }

    @Test(arguments: cases)
    func badRequestGetsItsErrorAndTheServerSurvives(_ bad: Case) async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/b.sock")
            let raw = try RawSocket(path: server.path)
            if bad.closes {
                // The server answers as soon as it reads the length, and hangs up mid-send.
                try? raw.send(RawSocket.frame(bad.payload))
            } else {
                try raw.send(RawSocket.frame(bad.payload))
            }
            let reply = try #require(try await raw.receiveFrame(), "no answer to \(bad)")
            #expect(reply["error"]?["code"]?.intValue == bad.code, "\(bad): \(reply)")
            let message = reply["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains(bad.message), "\(bad): \(message)")
            print("bus \(bad): \(reply["error"]?["code"] ?? .null) \(message.prefix(120))")
            if bad.closes {
                #expect(try await raw.receivesEOF())
            } else {
                // The same connection still works.
                try raw.sendFrame(#"{"jsonrpc":"2.0","method":"add","params":[2,2],"id":"next"}"#)
                #expect(try await raw.receiveFrame()?["result"] == 4)
            }
            let client = BusClient(socketPath: server.path)
            #expect(try await client.call("echo", params: ["alive"]) == ["alive"])
            await client.close()
            try await server.stop()
        }
    }

    /// A client that sends half a frame and stalls holds only its own connection.
    @Test func aStalledPartialFrameDoesNotBlockOtherClients() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/s.sock")
            let slow = try RawSocket(path: server.path)
            let frame = RawSocket.frame(Array(#"{"jsonrpc":"2.0","method":"echo","params":[1],"id":1}"#.utf8))
            try slow.send(Array(frame.prefix(10)))
            let client = BusClient(socketPath: server.path)
            let start = ContinuousClock.now
            for index in 0..<20 {
                #expect(try await client.call("add", params: [.int(Int64(index)), 1]) == .int(Int64(index) + 1))
            }
            print("20 calls beside a stalled client took \(ContinuousClock.now - start)")
            // The slow client finishes its frame and is answered.
            try slow.send(Array(frame.dropFirst(10)))
            #expect(try await slow.receiveFrame()?["result"] == [1])
            await client.close()
            try await server.stop()
        }
    }
}
