import AnvilTFTP
import Testing

@Suite struct TFTPFuzzTests {
    /// Random datagrams, half of them with a valid opcode and NUL-rich bodies so they reach the
    /// deeper parsers.
    static let nulRichAlphabet: [UInt8] = [0, 0x31, 0x61, 0x2E]

    static func randomDatagram(_ random: inout SplitMix64) -> [UInt8] {
        let length = Int.random(in: 0...200, using: &random)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length + 8)
        while bytes.count < length {
            var word = random.next()
            for _ in 0..<8 {
                let byte = UInt8(truncatingIfNeeded: word)
                // Half the bytes come from a small NUL-rich alphabet, half are arbitrary.
                bytes.append(byte & 0x80 == 0 ? nulRichAlphabet[Int(byte & 3)] : byte)
                word >>= 8
            }
        }
        bytes.removeLast(bytes.count - length)
        if bytes.count >= 2, Bool.random(using: &random) {
            bytes[0] = 0
            bytes[1] = UInt8.random(in: 0...7, using: &random)
        }
        return bytes
    }

    // Async with periodic yields: a long CPU-bound loop must not starve the two cooperative
    // threads that the socket tests running in parallel need.
    @Test func hundredThousandRandomDatagramsDecodeOrFailCleanly() async throws {
        var random = SplitMix64(seed: 0xA11CE)
        var decoded = 0
        for index in 0..<100_000 {
            if index % 500 == 0 { await Task.yield() }
            let datagram = Self.randomDatagram(&random)
            guard let packet = try? TFTPPacket.decode(datagram) else { continue }
            decoded += 1
            // Whatever decodes re-encodes to something that decodes to the same packet.
            #expect(try TFTPPacket.decode(packet.encode()) == packet)
        }
        #expect(decoded > 10_000)
    }

    @Test func randomEventsNeverBreakATransfer() async throws {
        var random = SplitMix64(seed: 42)
        for round in 0..<1_000 {
            await Task.yield()
            let windowSize = Int.random(in: 1...16, using: &random)
            let options = Bool.random(using: &random) ? [TFTPOption(name: "windowsize", value: String(windowSize))] : []
            var transfer = TFTPReadTransfer(
                size: Int.random(in: 0...40_000, using: &random),
                settings: TFTPTransferSettings(blockSize: 512, windowSize: options.isEmpty ? 1 : windowSize),
                optionAcknowledgement: options)
            var now = Duration.zero
            var actions = transfer.start(now: now)
            #expect(actions.packetCount == 1 || options.isEmpty && actions.dataBlocks.count == 1, "round \(round)")
            for _ in 0..<100 {
                now += .milliseconds(Int.random(in: 0...3000, using: &random))
                switch Int.random(in: 0...9, using: &random) {
                case 0: actions = transfer.timerFired(now: now)
                case 1...6: actions = transfer.received(.acknowledgement(block: UInt16.random(in: 0...90, using: &random)), now: now)
                default:
                    guard let packet = try? TFTPPacket.decode(Self.randomDatagram(&random)) else { continue }
                    actions = transfer.received(packet, now: now)
                }
                #expect(actions.dataBlocks.count <= transfer.settings.windowSize)
                if transfer.isFinished { break }
            }
        }
    }
}
