import AnvilTFTP
import Testing

@Suite struct TFTPNetASCIITests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func encodeTurnsLFIntoCRLFAndCRIntoCRNUL() {
        #expect(TFTPNetASCII.encode(Self.bytes("a\nb")) == Self.bytes("a\r\nb"))
        #expect(TFTPNetASCII.encode(Self.bytes("a\rb")) == [0x61, 0x0D, 0x00, 0x62])
        #expect(TFTPNetASCII.encode(Self.bytes("\r\n")) == [0x0D, 0x00, 0x0D, 0x0A])
        #expect(TFTPNetASCII.encode([]) == [])
    }

    @Test func chunkedEncodingEqualsWholeEncoding() {
        let text = Self.bytes("line one\nline two\r\n\rbare\n\n")
        for split in 0...text.count {
            #expect(TFTPNetASCII.encode(text[..<split]) + TFTPNetASCII.encode(text[split...]) == TFTPNetASCII.encode(text))
        }
    }

    @Test func decoderHandlesACarriageReturnSplitAcrossChunks() {
        let wire: [UInt8] = [0x61, 0x0D, 0x0A, 0x62, 0x0D, 0x00, 0x63, 0x0D]
        for split in 0...wire.count {
            var decoder = TFTPNetASCII.Decoder()
            let local = decoder.decode(wire[..<split]) + decoder.decode(wire[split...]) + decoder.finish()
            #expect(local == [0x61, 0x0A, 0x62, 0x0D, 0x63, 0x0D], "split at \(split)")
        }
    }

    @Test func decodeOfEncodeIsIdentityOverRandomContentAndBlockSplits() async {
        var random = SplitMix64(seed: 7)
        for _ in 0..<200 {
            await Task.yield()  // stay off the cooperative threads' critical path (see TFTPFuzzTests)
            let local = (0..<Int.random(in: 0...600, using: &random)).map { _ in
                [0x0A, 0x0D, 0x00, 0x41][Int.random(in: 0...3, using: &random)] as UInt8
            }
            let wire = TFTPNetASCII.encode(local)
            var decoder = TFTPNetASCII.Decoder()
            var decoded: [UInt8] = []
            var offset = 0
            while offset < wire.count {  // 512-byte blocks as they arrive
                decoded += decoder.decode(wire[offset..<min(offset + 512, wire.count)])
                offset += 512
            }
            decoded += decoder.finish()
            #expect(decoded == local)
        }
    }

    @Test func netasciiFileIsServedConvertedWithItsConvertedSize() {
        let local = [UInt8](repeating: 0x0A, count: 300)  // 600 bytes on the wire: two blocks
        let source = TFTPInMemorySource(TFTPNetASCII.encode(local))
        var transfer = TFTPReadTransfer(size: source.size)
        #expect(transfer.sent(transfer.start(now: .zero), from: source).first == .data(block: 1, payload: Array([UInt8]([0x0D, 0x0A]).repeated(256))))
        guard case .data(_, let last) = transfer.sent(transfer.received(.acknowledgement(block: 1), now: .zero), from: source).first else {
            Issue.record("no second block"); return
        }
        #expect(last.count == 88)
    }
}

extension Array {
    func repeated(_ count: Int) -> [Element] { (0..<count).flatMap { _ in self } }
}
