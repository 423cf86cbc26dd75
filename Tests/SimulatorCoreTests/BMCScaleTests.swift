import AnvilIPMI
import NIOCore
import NIOPosix
import SimulatorCore
import Synchronization
import Testing

/// A thousand BMCs in one process (docs/simulator.md "BMC"): how long binding them takes, and that
/// every one answers.
@Suite struct BMCScaleTests {
    /// Collects the ports ASF pongs came from.
    final class PongCollector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let ports = Mutex<Set<Int>>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard (try? ASFPresencePing.decodePong(Array(envelope.data.readableBytesView)))?.supportsIPMI == true,
                  let port = envelope.remoteAddress.port
            else { return }
            _ = ports.withLock { $0.insert(port) }
        }
    }

    @Test func bindsAThousandBMCsThatAllAnswer() async throws {
        let count = 1000
        let server = try SimulatedBMCServer()
        let bmcs = (0..<count).map { _ in SimulatedBMC(chassis: SimulatedChassis(), password: "pw") }
        let started = ContinuousClock.now
        let ports = try await server.add(bmcs.map { ($0, 0) })
        let elapsed = ContinuousClock.now - started
        print("bound \(count) simulated BMCs in \(elapsed)")
        #expect(Set(ports).count == count)
        // A bound, not a measurement (the time is printed above): on a loaded CI machine binding
        // shares the two cores with the rest of the suite.
        #expect(elapsed < .seconds(120))

        let collector = PongCollector()
        let client = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        // Loopback drops what overflows a receive buffer, so ask again those that did not answer.
        for _ in 0..<20 {
            let missing = Set(ports).subtracting(collector.ports.withLock { $0 })
            if missing.isEmpty { break }
            for port in missing.prefix(200) {
                let address = try SocketAddress(ipAddress: "127.0.0.1", port: port)
                client.write(AddressedEnvelope(remoteAddress: address, data: client.allocator.buffer(bytes: ASFPresencePing.encode(tag: 1))), promise: nil)
            }
            client.flush()
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(collector.ports.withLock { $0.count } == count)
        try await client.close()
        let stopping = ContinuousClock.now
        await server.stop()
        print("stopped \(count) simulated BMCs in \(ContinuousClock.now - stopping)")
        #expect(server.count == 0)
    }

    @Test func refusesANonLoopbackAddress() {
        #expect(throws: SimulatedBMCServerError.notLoopback("10.0.0.1")) { _ = try SimulatedBMCServer(host: "10.0.0.1") }
    }
}

@Suite struct BMCServerPortTests {
    /// A fixed port is bound exactly; a second BMC on it fails, and the first keeps answering.
    @Test func bindsFixedPortsAndRefusesATakenOne() async throws {
        let server = try SimulatedBMCServer(group: MultiThreadedEventLoopGroup.singleton)
        let first = SimulatedBMC(chassis: SimulatedChassis(), password: "pw")
        let port = try await server.add(first)
        let second = SimulatedBMC(chassis: SimulatedChassis(), password: "pw")
        let third = SimulatedBMC(chassis: SimulatedChassis(), password: "pw")
        await #expect(throws: (any Error).self) { try await server.add([(third, 0), (second, port)]) }
        #expect(server.count == 1)
        #expect(first.port == port && second.port == nil)
        await server.stop()
        // Now free: bound exactly where asked (a closing socket may hold the port a moment longer).
        let again = try SimulatedBMCServer(group: MultiThreadedEventLoopGroup.singleton)
        var rebound: Int?
        for _ in 0..<100 where rebound == nil {
            rebound = try? await again.add(second, port: port)
            if rebound == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(rebound == port)
        await again.stop()
    }
}
