import AnvilSpawn
import Foundation
import Synchronization
import Testing

/// tftpd under abuse: floods of malformed packets, traversal attempts, clients that stop, foreign
/// TIDs, write requests, bad options and the admission limits — driven with hand-made packets.
@Suite struct TFTPFaultTests {
    static let payload = TFTPDaemon.content(size: 300_000, seed: 7)

    /// Fetches `name` in lockstep at 512-byte blocks from a raw socket, checking every block.
    /// Like a real client it repeats its last packet on a timeout (a flood may drop one), 8 times at
    /// most, 2 s apart: patient, because CI runs QEMU and other daemons on the same two cores.
    /// The whole download runs on a thread of its own: it blocks on the socket and, when paced,
    /// sleeps between blocks (docs/architecture.md, Tests).
    static func lockstepDownload(
        _ name: String, port: Int, pace: Duration = .zero, onFirstBlock: @escaping @Sendable () -> Void = {}
    ) async throws -> [UInt8] {
        let socket = try UDPTestSocket()
        return try await OwnThread.run {
            try blockingLockstepDownload(name, port: port, socket: socket, pace: pace, onFirstBlock: onFirstBlock)
        }
    }

    private static func blockingLockstepDownload(
        _ name: String, port: Int, socket: UDPTestSocket, pace: Duration, onFirstBlock: @Sendable () -> Void
    ) throws -> [UInt8] {
        let request = UDPTestSocket.readRequest(Array(name.utf8))
        socket.setReceiveTimeout(.seconds(2))
        socket.send(request, to: port)
        var received: [UInt8] = []
        var expected: UInt16 = 1
        var serverPort: Int?
        var timeouts = 0
        while true {
            guard let (packet, from) = socket.receiveBlocking() else {
                timeouts += 1
                guard timeouts <= 8 else { throw TestFailure("no DATA \(expected) for \(name)") }
                if let serverPort { socket.send(UDPTestSocket.acknowledgement(expected &- 1), to: serverPort) } else { socket.send(request, to: port) }
                continue
            }
            if serverPort == nil { serverPort = from; onFirstBlock() }
            guard from == serverPort else { continue }
            guard UDPTestSocket.opcode(packet) == 3 else { throw TestFailure("expected DATA, got \(packet.prefix(40))") }
            guard UDPTestSocket.secondField(packet) == expected else { continue }  // a duplicate
            received += packet[4...]
            if pace > .zero { Thread.sleep(forTimeInterval: Double(pace.components.attoseconds) / 1e18 + Double(pace.components.seconds)) }
            socket.send(UDPTestSocket.acknowledgement(expected), to: from)
            if packet.count - 4 < 512 { return received }
            expected &+= 1
        }
    }

    @Test func hundredThousandMalformedPacketsThenDownloadsStillSucceed() async throws {
        let daemon = try await TFTPDaemon(files: ["payload.bin": Self.payload])
        // A download under way (on its own port) when the flood starts must not be disturbed. One
        // that starts during the flood may not get its request through the flooded listening
        // socket at all: that is what a flood does, so the fresh downloads come after it.
        let started = Atomic<Bool>(false)
        let during = Task {
            try await Self.lockstepDownload("payload.bin", port: daemon.port, onFirstBlock: { started.store(true, ordering: .relaxed) })
        }
        while !started.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(10)) }
        var generator = SystemRandomNumberGenerator()
        let senders = try (0..<8).map { _ in try UDPTestSocket() }
        for index in 0..<100_000 {
            senders[index % senders.count].send(Self.malformedPacket(index, using: &generator), to: daemon.port)
            if index % 200 == 199 { try await Task.sleep(for: .milliseconds(2)) }  // let the receive buffer drain
        }
        #expect(try await during.value == Self.payload)
        #expect(try await Self.lockstepDownload("payload.bin", port: daemon.port) == Self.payload)
        let curl = try await ChildProcess.run(
            URL(fileURLWithPath: try Peer.path("curl")),
            ["-sS", "--tftp-blksize", "1468", "-o", daemon.state.path + "/after.bin", "tftp://127.0.0.1:\(daemon.port)/payload.bin"])
        #expect(curl.status == 0, "\(curl.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.state.path + "/after.bin")) == Data(Self.payload))
        #expect(daemon.child.isRunning)
        let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(daemon.httpPort)/metrics").body
        let refused = Self.metric("anvil_tftp_refused_total{reason=\"malformed\"}", in: metrics)
            + Self.metric("anvil_tftp_refused_total{reason=\"access_violation\"}", in: metrics)
            + Self.metric("anvil_tftp_refused_total{reason=\"unknown_tid\"}", in: metrics)
            + Self.metric("anvil_tftp_refused_total{reason=\"write_request\"}", in: metrics)
            + Self.metric("anvil_tftp_refused_total{reason=\"not_found\"}", in: metrics)
            + Self.metric("anvil_tftp_refused_total{reason=\"option_negotiation\"}", in: metrics)
        #expect(refused > 10_000, "most of the flood reached the decoder (the rest were dropped by the socket buffer)")
        _ = try await daemon.stop()
    }

    /// One of many kinds of bad datagram, chosen by `index`.
    static func malformedPacket(_ index: Int, using generator: inout SystemRandomNumberGenerator) -> [UInt8] {
        func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let name = Array("payload.bin".utf8)
        switch index % 10 {
        case 0: return random(Int.random(in: 0...600, using: &generator))
        case 1: return Array(UDPTestSocket.readRequest(name).prefix(Int.random(in: 0...14, using: &generator)))  // truncated
        case 2: return [UInt8(0), UInt8.random(in: 7...255, using: &generator)] + random(20)  // bad opcode
        case 3: return [0, 1] + name + [0] + Array("octet".utf8)  // no NUL after the mode
        case 4: return [0, 1] + Array(repeating: 0x41, count: 1400)  // no NUL at all
        case 5: return UDPTestSocket.readRequest(name, options: [("blksize", String(repeating: "9", count: 600))])  // huge option
        case 6: return UDPTestSocket.readRequest(name, options: (0..<40).map { ("x\($0)", "1") })  // too many options
        case 7: return [0, 2] + name + [0, 0x6F, 0x63, 0x74, 0x65, 0x74, 0]  // WRQ
        case 8: return [0, 4] + random(2) + random(Int.random(in: 0...3, using: &generator))  // stray ACK
        default: return [0, 1] + random(Int.random(in: 1...300, using: &generator)) + [0, 0x6F, 0x63, 0x74, 0x65, 0x74, 0]
        }
    }

    static func metric(_ name: String, in text: String) -> Double {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + " ") }) else { return 0 }
        return Double(line.split(separator: " ").last ?? "") ?? 0
    }

    /// Each payload must get an ERROR (1 or 2; 4 when the NUL makes the rest an unknown mode) and never a byte of data.
    @Test func traversalPayloadsAreRefused() async throws {
        let daemon = try await TFTPDaemon(files: ["f511": TFTPDaemon.content(size: 511, seed: 1), "sub/inner.bin": [1, 2, 3]])
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: daemon.root + "/etc-link", withDestinationPath: "/etc")
        try fm.createSymbolicLink(atPath: daemon.root + "/passwd-link", withDestinationPath: "/etc/passwd")
        try fm.createSymbolicLink(atPath: daemon.root + "/sub/up-link", withDestinationPath: "../..")
        try fm.createSymbolicLink(atPath: daemon.root + "/alias.bin", withDestinationPath: "f511")  // inside: allowed
        let payloads: [(String, [UInt8])] = [
            ("parent", Array("../etc/passwd".utf8)), ("deep parent", Array("../../../../../../etc/shadow".utf8)),
            ("absolute", Array("/etc/passwd".utf8)), ("inner parent", Array("sub/../../etc/passwd".utf8)),
            ("bare parent", Array("..".utf8)), ("dot parent", Array("./../f511".utf8)), ("slashes", Array("sub//..//..//etc/passwd".utf8)),
            ("backslash", Array("..\\..\\etc\\passwd".utf8)), ("backslash file", Array("sub\\inner.bin".utf8)),
            ("symlink dir out", Array("etc-link/passwd".utf8)), ("symlink file out", Array("passwd-link".utf8)),
            ("symlink up", Array("sub/up-link/etc/passwd".utf8)), ("directory", Array("sub".utf8)),
            ("over-long", Array(String(repeating: "a", count: 300).utf8)), ("encoded", Array("%2e%2e/etc/passwd".utf8)),
            ("control", Array("f511\u{01}".utf8)), ("proc", Array("/proc/self/environ".utf8)),
            ("NUL", Array("f511".utf8) + [0] + Array("../../etc/passwd".utf8)),
        ]
        let socket = try UDPTestSocket()
        for (label, name) in payloads {
            socket.send(UDPTestSocket.readRequest(name), to: daemon.port)
            let reply = try #require(await socket.receive(), "\(label): no answer")
            #expect(UDPTestSocket.opcode(reply.bytes) == 5, "\(label): must be an ERROR, got \(reply.bytes.prefix(8))")
            let allowed: Set<UInt16> = label == "NUL" ? [1, 2, 4] : [1, 2]
            #expect(allowed.contains(UDPTestSocket.secondField(reply.bytes) ?? 99), "\(label): code \(UDPTestSocket.secondField(reply.bytes) ?? 99)")
        }
        #expect(try await Self.lockstepDownload("alias.bin", port: daemon.port) == TFTPDaemon.content(size: 511, seed: 1), "a symlink inside the root is served")
        #expect(try await Self.lockstepDownload("sub/./inner.bin", port: daemon.port) == [1, 2, 3])
        _ = try await daemon.stop()
    }

    @Test func clientThatStopsAcknowledgingIsDroppedAfterTheRetryBudget() async throws {
        let daemon = try await TFTPDaemon(
            files: ["payload.bin": Self.payload], extraArguments: ["--retransmit-timeout", "100ms", "--retries", "3"])
        let socket = try UDPTestSocket()
        socket.send(UDPTestSocket.readRequest(Array("payload.bin".utf8)), to: daemon.port)
        let packets = await socket.drain(quiet: .seconds(3))
        let data = packets.filter { UDPTestSocket.opcode($0.bytes) == 3 }
        #expect(data.count == 4, "DATA 1 once plus 3 retransmissions, then nothing: got \(data.count)")
        #expect(data.allSatisfy { UDPTestSocket.secondField($0.bytes) == 1 })
        let line = try await daemon.waitForLogLine(containing: ["msg=\"transfer failed\"", "file=payload.bin"])
        #expect(line.contains("retransmits=3"))
        #expect(line.contains("clientStoppedAcknowledging"))
        let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(daemon.httpPort)/metrics").body
        #expect(Self.metric("anvil_tftp_active_transfers", in: metrics) == 0)
        #expect(Self.metric("anvil_tftp_transfers_total{outcome=\"failed\"}", in: metrics) == 1)
        _ = try await daemon.stop()
    }

    @Test func foreignTIDGetsError5AndTheTransferGoesOn() async throws {
        let daemon = try await TFTPDaemon(files: ["payload.bin": Self.payload])
        let client = try UDPTestSocket()
        let stranger = try UDPTestSocket()
        client.send(UDPTestSocket.readRequest(Array("payload.bin".utf8)), to: daemon.port)
        let first = try #require(await client.receive())
        #expect(UDPTestSocket.opcode(first.bytes) == 3)
        #expect(first.port != daemon.port, "the transfer runs on its own port (TID)")
        stranger.send(UDPTestSocket.acknowledgement(1), to: first.port)
        let rebuke = try #require(await stranger.receive())
        #expect(UDPTestSocket.opcode(rebuke.bytes) == 5 && UDPTestSocket.secondField(rebuke.bytes) == 5)
        // The real client carries on from block 1 and gets the whole file.
        var received = Array(first.bytes[4...])
        client.send(UDPTestSocket.acknowledgement(1), to: first.port)
        var expected: UInt16 = 2
        while received.count < Self.payload.count || received.count % 512 == 0 && expected <= 587 {
            let (packet, port) = try #require(await client.receive())
            #expect(port == first.port)
            guard UDPTestSocket.secondField(packet) == expected else { continue }
            received += packet[4...]
            client.send(UDPTestSocket.acknowledgement(expected), to: port)
            if packet.count < 516 { break }
            expected &+= 1
        }
        #expect(received == Self.payload)
        _ = try await daemon.waitForLogLine(containing: ["msg=\"transfer finished\"", "outcome=completed"])
        _ = try await daemon.stop()
    }

    @Test func writeRequestsAndBadOptionsGetTheRightErrors() async throws {
        let daemon = try await TFTPDaemon(files: ["f511": TFTPDaemon.content(size: 511, seed: 1)])
        let socket = try UDPTestSocket()
        let cases: [(String, [UInt8], UInt16)] = [
            ("WRQ", [0, 2] + Array("upload.bin".utf8) + [0] + Array("octet".utf8) + [0], 2),
            ("blksize 7", UDPTestSocket.readRequest(Array("f511".utf8), options: [("blksize", "7")]), 8),
            ("windowsize 0", UDPTestSocket.readRequest(Array("f511".utf8), options: [("windowsize", "0")]), 8),
            ("missing", UDPTestSocket.readRequest(Array("nope.bin".utf8)), 1),
            ("mode mail", UDPTestSocket.readRequest(Array("f511".utf8), mode: "mail"), 4),
        ]
        for (label, packet, code) in cases {
            socket.send(packet, to: daemon.port)
            let reply = try #require(await socket.receive(), "\(label)")
            #expect(UDPTestSocket.opcode(reply.bytes) == 5 && UDPTestSocket.secondField(reply.bytes) == code, "\(label): \(reply.bytes)")
        }
        // Option names are case-insensitive and unknown ones are ignored.
        socket.send(UDPTestSocket.readRequest(Array("f511".utf8), options: [("BlkSize", "100"), ("color", "blue"), ("TSIZE", "0")]), to: daemon.port)
        let oack = try #require(await socket.receive())
        #expect(UDPTestSocket.opcode(oack.bytes) == 6)
        var expectedOACK: [UInt8] = [0, 6]
        for field in ["blksize", "100", "tsize", "511"] { expectedOACK += Array(field.utf8) + [0] }
        #expect(oack.bytes == expectedOACK)
        socket.send(UDPTestSocket.acknowledgement(0), to: oack.port)
        // Under load the OACK can be retransmitted before our ACK arrives: skip the repeats.
        var data = try #require(await socket.receive())
        while UDPTestSocket.opcode(data.bytes) == 6 { data = try #require(await socket.receive()) }
        #expect(UDPTestSocket.opcode(data.bytes) == 3 && data.bytes.count == 104, "\(data.bytes.prefix(8))")
        socket.send([0, 5, 0, 0] + Array("bye".utf8) + [0], to: oack.port)  // a client ERROR ends it quietly
        _ = try await daemon.waitForLogLine(containing: ["msg=\"transfer aborted by client\"", "file=f511"])
        _ = try await daemon.stop()
    }

    @Test func perClientCapAndRequestRateLimit() async throws {
        let daemon = try await TFTPDaemon(
            files: ["payload.bin": Self.payload],
            extraArguments: ["--max-transfers-per-client", "2", "--rrq-rate-per-client", "5"], limits: true)
        let sockets = try (0..<3).map { _ in try UDPTestSocket() }
        for socket in sockets.prefix(2) {
            socket.send(UDPTestSocket.readRequest(Array("payload.bin".utf8)), to: daemon.port)
            #expect(UDPTestSocket.opcode(try #require(await socket.receive()).bytes) == 3)
        }
        sockets[2].send(UDPTestSocket.readRequest(Array("payload.bin".utf8)), to: daemon.port)
        let busy = try #require(await sockets[2].receive())
        #expect(UDPTestSocket.opcode(busy.bytes) == 5 && UDPTestSocket.secondField(busy.bytes) == 0)
        #expect(String(decoding: busy.bytes.dropFirst(4), as: UTF8.self).contains("too many transfers"))
        // The burst is 10 requests; 3 are spent. Of 30 more, only a handful are answered.
        let flood = try UDPTestSocket(receiveTimeout: .milliseconds(300))
        for _ in 0..<30 { flood.send(UDPTestSocket.readRequest(Array("nothing-here".utf8)), to: daemon.port) }
        let answers = await flood.drain(quiet: .milliseconds(500)).count
        #expect(answers >= 5 && answers <= 10, "answers within the burst only: \(answers)")
        let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(daemon.httpPort)/metrics").body
        #expect(Self.metric("anvil_tftp_refused_total{reason=\"rate_limited\"}", in: metrics) >= 20)
        #expect(Self.metric("anvil_tftp_refused_total{reason=\"client_busy\"}", in: metrics) == 1)
        _ = try await daemon.stop()
    }

    @Test func finishedTransfersBecomeBootEventsAndMetrics() async throws {
        let daemon = try await TFTPDaemon()
        let curl = try await ChildProcess.run(
            URL(fileURLWithPath: try Peer.path("curl")),
            ["-sS", "--tftp-blksize", "1468", "-o", daemon.state.path + "/u.kpxe", "tftp://127.0.0.1:\(daemon.port)/undionly.kpxe"])
        #expect(curl.status == 0, "\(curl.stderr)")
        let expected = try Data(contentsOf: URL(fileURLWithPath: daemon.root + "/undionly.kpxe"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.state.path + "/u.kpxe")) == expected)
        let anvil = AnvilCLI(state: daemon.state)
        var events = ""
        for _ in 0..<100 {
            events = try await anvil.ok("events")
            if events.contains("BootFileFetched") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(events.contains("BootFileFetched"))
        #expect(events.contains("127.0.0.1"))
        #expect(events.contains("fetched undionly.kpxe (\(expected.count) bytes) over TFTP"))
        let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(daemon.httpPort)/metrics").body
        #expect(Self.metric("anvil_tftp_transfers_total{outcome=\"completed\"}", in: metrics) == 1)
        #expect(Self.metric("anvil_tftp_sent_bytes_total", in: metrics) >= Double(expected.count))
        #expect(metrics.contains("anvil_tftp_transfer_duration_seconds_bucket"))
        let status = try await ChildProcess.run(BuiltProducts.url("anvil"), ["status"], environment: ["ANVIL_STATE": daemon.state.path])
        #expect(status.status == 0)
        _ = try await daemon.stop()
    }
}
