import AnvilResources
import Foundation
import Testing

/// Every HTTP endpoint of the real daemons against malformed, oversized, deeply nested and slow
/// requests: each gets the status that says what is wrong, and the daemon goes on serving.
@Suite struct MalformedRequestTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var request: [UInt8]
        /// Acceptable statuses (several where the HTTP parser may classify the fault either way).
        var statuses: Set<Int>
        /// A fragment the answer's body must contain ("" for none).
        var says: String = ""

        init(_ description: String, _ request: String, _ statuses: Set<Int>, says: String = "") {
            self.description = description
            self.request = Array(request.utf8)
            self.statuses = statuses
            self.says = says
        }

        init(_ description: String, bytes: [UInt8], _ statuses: Set<Int>, says: String = "") {
            self.description = description
            self.request = bytes
            self.statuses = statuses
            self.says = says
        }
    }

    static let uuid = "4c4c4544-0000-1000-8000-0000000000d1"

    static func get(_ target: String, headers: String = "") -> String {
        "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)Connection: close\r\n\r\n"
    }

    static func post(_ target: String, _ body: String, headers: String = "") -> String {
        "POST \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\(headers)Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    }

    /// Faults every daemon's HTTP front shares (the same AnvilHTTPServer and router).
    static let common: [Case] = [
        Case("healthz", get("/healthz"), [200]),
        Case("metrics", get("/metrics"), [200], says: "anvil_http_requests_total"),
        Case("unknown path", get("/no/such/thing"), [404]),
        Case("wrong method on /healthz", "DELETE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", [405]),
        Case("garbage request line", "GARBAGE\u{1}\r\n\r\n", [400]),
        Case("unsupported HTTP version", "GET / HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n", [400, 505]),
        Case("100 KB header", get("/healthz", headers: "X-Huge: \(String(repeating: "h", count: 100_000))\r\n"), [431], says: "request headers too large"),
        Case("100 KB request target", get("/healthz?" + String(repeating: "q", count: 100_000)), [400, 414, 431]),
        Case("negative Content-Length", "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n", [400]),
        Case("bad chunk size", "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n", [400]),
        Case(
            "2 MiB body", post("/healthz", String(repeating: "b", count: 2 << 20)), [413],
            says: "request body larger than 1048576 bytes"),
        Case("NUL in the path", bytes: Array("GET /heal".utf8) + [0] + Array("thz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), [400, 404]),
    ]

    static let bootd: [Case] = common + [
        Case("/ipxe without uuid", get("/ipxe"), [400], says: "uuid"),
        Case("/ipxe bad percent escape", get("/ipxe?uuid=%zz"), [400], says: "malformed query string"),
        Case("/ipxe 5000-character uuid", get("/ipxe?uuid=" + String(repeating: "a", count: 5000)), [400]),
        Case("/ipxe POST", post("/ipxe?uuid=\(uuid)", "{}"), [405]),
        Case("/boot.ipxe", get("/boot.ipxe"), [200], says: "#!ipxe"),
        Case("/boot.ipxe PUT", "PUT /boot.ipxe HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", [405]),
        Case("/env/ traversal", get("/env/../../etc/passwd"), [400, 404]),
        Case("/env/ encoded traversal", get("/env/%2e%2e/%2e%2e/etc/passwd"), [400, 404]),
        Case("/env/ bad escape", get("/env/%zz/vmlinuz"), [400], says: "malformed path"),
        Case("/env/ unknown environment", get("/env/nope/vmlinuz"), [404], says: "not found"),
        Case("/env/ 300-character name", get("/env/\(String(repeating: "e", count: 300))/vmlinuz"), [400, 404]),
    ]

    static var metadatad: [Case] {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let manufacturer = String(repeating: "m", count: 900_000)
        return common + [
            Case("/configdata without parameters", get("/configdata"), [400]),
            Case("/configdata malformed uuid", get("/configdata?uuid=nope"), [400]),
            Case("register: not JSON", post("/api/v1/register", "{nope"), [400], says: "request body is not JSON"),
            Case("register: empty body", post("/api/v1/register", ""), [400], says: "request body required"),
            Case(
                "register: 100 000 nested arrays", post("/api/v1/register", #"{"uuid": "\#(uuid)", "hardware": "# + nested + "}"), [400],
                says: "nested deeper than 512 levels (the limit)"),
            Case(
                "register: 900 KB manufacturer",
                post("/api/v1/register", #"{"uuid": "\#(uuid)", "hardware": {"system": {"manufacturer": "\#(manufacturer)"}}}"#), [422],
                says: "hardware.system.manufacturer is 900000 bytes long; at most 512 are accepted"),
            Case(
                "register: 1000-character hostname", post("/api/v1/register", #"{"uuid": "\#(uuid)", "hostname": "\#(String(repeating: "h", count: 1000))"}"#),
                [422], says: "spec.hostname: is 1000 characters long; at most 253 are accepted"),
            Case("register: wrong type", post("/api/v1/register", #"{"uuid": ["x"]}"#), [400], says: "field uuid must be"),
            Case("register: GET", get("/api/v1/register"), [405]),
            Case("register: 2 MiB body", post("/api/v1/register", String(repeating: " ", count: 2 << 20)), [413]),
            Case("addresses: malformed uuid", post("/api/v1/servers/nope/addresses", "{}"), [400], says: "malformed uuid"),
            Case("addresses: nested body", post("/api/v1/servers/\(uuid)/addresses", nested), [400, 404]),
            Case("heartbeat: unknown server", post("/api/v1/servers/\(uuid)/heartbeat", "{}"), [404], says: "not registered"),
            Case("unknown operation", post("/api/v1/servers/\(uuid)/explode", "{}"), [404], says: "no such agent operation"),
        ]
    }

    /// Runs `cases` against `port`, checks each answer, then that the daemon still answers.
    static func run(_ cases: [Case], port: Int, daemon: String) async throws {
        for bad in cases {
            let answer = try await RawHTTP.exchange(port: port, bad.request)
            let firstLine = answer.body.split(separator: "\n").first.map { String($0.prefix(140)) } ?? ""
            print("\(daemon) \(bad): \(answer.status) \(firstLine) (\(answer.elapsed))")
            #expect(bad.statuses.contains(answer.status), "\(daemon) \(bad): got \(answer.text.prefix(300))")
            if !bad.says.isEmpty { #expect(answer.body.contains(bad.says), "\(daemon) \(bad): \(answer.body.prefix(300))") }
            #expect(answer.elapsed < .seconds(20), "\(daemon) \(bad) took \(answer.elapsed)")
        }
        let after = try await RawHTTP.exchange(port: port, get("/healthz"))
        #expect(after.status == 200, "\(daemon) stopped answering: \(after.text.prefix(200))")
    }

    @Test func bootdAnswersEveryBadRequestAndKeepsServing() async throws {
        let daemon = try await HTTPDaemon("bootd")
        try await Self.run(Self.bootd, port: daemon.port, daemon: "bootd")
        #expect(daemon.children.allSatisfy { $0.isRunning })
        try await daemon.stop()
    }

    @Test func metadatadAnswersEveryBadRequestAndKeepsServing() async throws {
        let daemon = try await HTTPDaemon("metadatad", extraArguments: ["--machine-tokens", "false"])
        try await Self.run(Self.metadatad, port: daemon.port, daemon: "metadatad")
        #expect(try await daemon.store.list(kind: "Server").isEmpty, "no bad registration was written")
        #expect(daemon.children.allSatisfy { $0.isRunning })
        try await daemon.stop()
    }

    @Test func tftpdMetricsPortAnswersBadRequestsToo() async throws {
        let daemon = try await TFTPDaemon()
        try await Self.run(Self.common, port: daemon.httpPort, daemon: "tftpd")
        #expect(daemon.child.isRunning)
    }

    /// The default request timeout (10 s) cuts off a client sending its head a byte a second.
    @Test func aSlowlorisClientIsCutOffByTheDaemon() async throws {
        let daemon = try await HTTPDaemon("bootd")
        let head = Self.get("/ipxe?uuid=\(Self.uuid)") + String(repeating: " ", count: 0)
        async let slow = RawHTTP.exchange(port: daemon.port, Array(head.utf8), trickle: .seconds(1))
        // Meanwhile the daemon serves everyone else.
        try await Task.sleep(for: .seconds(2))
        #expect(try await RawHTTP.exchange(port: daemon.port, Self.get("/healthz")).status == 200)
        let answer = try await slow
        print("bootd slowloris: cut off after \(answer.elapsed) with \"\(answer.text.prefix(60))\"")
        #expect(answer.text.isEmpty)
        #expect(answer.elapsed >= .seconds(9) && answer.elapsed < .seconds(30))
        try await daemon.stop()
    }
}

/// The same faults on a real daemon's bus socket: each gets its JSON-RPC error and the daemon
/// keeps answering on the same connection and on new ones.
@Suite struct MalformedBusRequestTests {
    @Test func bootdsBusAnswersBadRequestsAndSurvives() async throws {
        let daemon = try await HTTPDaemon("bootd")
        let raw = try RawBusSocket(path: "\(daemon.state.path)/run/bootd.sock")
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let cases: [(String, String, Int64, String)] = [
            ("malformed JSON", #"{"jsonrpc":"2.0","method":"#, -32700, "Parse error"),
            ("100 000 nested arrays", #"{"jsonrpc":"2.0","method":"health.check","id":1,"params":"# + nested + "}", -32700, "Parse error"),
            ("unknown method", #"{"jsonrpc":"2.0","method":"no.such","id":2}"#, -32601, "Method not found: no.such"),
            ("wrong param type", #"{"jsonrpc":"2.0","method":"store.changed","params":{"revision":"x"},"id":3}"#, -32602, "store.changed needs"),
            ("params a number", #"{"jsonrpc":"2.0","method":"health.check","params":7,"id":4}"#, -32600, "Invalid Request"),
        ]
        for (name, payload, code, says) in cases {
            let reply = try #require(try await raw.exchange(Array(payload.utf8)), "no answer to \(name)")
            let message = reply["error"]?["message"]?.stringValue ?? ""
            print("bootd bus \(name): \(reply["error"]?["code"] ?? .null) \(message.prefix(100))")
            #expect(reply["error"]?["code"]?.intValue == code, "\(name): \(reply)")
            #expect(message.contains(says), "\(name): \(message)")
        }
        let alive = try await raw.exchange(Array(#"{"jsonrpc":"2.0","method":"health.check","id":"after"}"#.utf8))
        #expect(alive?["result"]?["status"] == "ok")
        // A frame over 1 MiB is answered, then that connection (only) is closed.
        let huge = try RawBusSocket(path: "\(daemon.state.path)/run/bootd.sock")
        let tooBig = try await huge.exchange(Array((#"{"jsonrpc":"2.0","method":"health.check","params":[""# + String(repeating: "x", count: 1_100_000) + #""],"id":5}"#).utf8))
        print("bootd bus 1.1 MB frame: \(tooBig?["error"]?["message"] ?? .null)")
        #expect(tooBig?["error"]?["message"]?.stringValue?.contains("exceeds the 1048576-byte limit") == true)
        let fresh = try RawBusSocket(path: "\(daemon.state.path)/run/bootd.sock")
        #expect(try await fresh.exchange(Array(#"{"jsonrpc":"2.0","method":"health.check","id":6}"#.utf8))?["result"]?["status"] == "ok")
        #expect(daemon.children.allSatisfy { $0.isRunning })
        try await daemon.stop()
    }
}
