import AnvilTFTP
import Testing

@Suite struct TFTPPacketCodingTests {
    static let roundTripPackets: [TFTPPacket] = [
        .readRequest(TFTPRequest(filename: "undionly.kpxe")),
        .readRequest(TFTPRequest(filename: "pxelinux.cfg/01-aa-bb", mode: .netascii,
                                 options: [TFTPOption(name: "tsize", value: "0"), TFTPOption(name: "BLKSIZE", value: "1468")])),
        .writeRequest(TFTPRequest(filename: "upload.bin", options: [TFTPOption(name: "windowsize", value: "8")])),
        .data(block: 1, payload: Array(repeating: 0xAB, count: 512)),
        .data(block: 65535, payload: []),
        .data(block: 0, payload: [0, 1, 2]),
        .acknowledgement(block: 0),
        .acknowledgement(block: 0xBEEF),
        .error(.fileNotFound, message: "File not found"),
        .error(.optionNegotiationFailed, message: ""),
        .optionAcknowledgement([TFTPOption(name: "blksize", value: "1468"), TFTPOption(name: "tsize", value: "1048576")]),
        .optionAcknowledgement([]),
    ]

    @Test(arguments: roundTripPackets)
    func decodeOfEncodeGivesThePacketBack(packet: TFTPPacket) throws {
        #expect(try TFTPPacket.decode(packet.encode()) == packet)
    }

    @Test func wireLayoutMatchesRFC1350() {
        #expect(TFTPPacket.readRequest(TFTPRequest(filename: "a", options: [TFTPOption(name: "tsize", value: "0")])).encode()
            == [0, 1, 0x61, 0] + Array("octet".utf8) + [0] + Array("tsize".utf8) + [0, 0x30, 0])
        #expect(TFTPPacket.data(block: 0x0102, payload: [9]).encode() == [0, 3, 1, 2, 9])
        #expect(TFTPPacket.acknowledgement(block: 7).encode() == [0, 4, 0, 7])
        #expect(TFTPPacket.error(.accessViolation, message: "no").encode() == [0, 5, 0, 2, 0x6E, 0x6F, 0])
        #expect(TFTPPacket.optionAcknowledgement([TFTPOption(name: "a", value: "b")]).encode() == [0, 6, 0x61, 0, 0x62, 0])
    }

    @Test func modeNamesAreCaseInsensitive() throws {
        let bytes: [UInt8] = [0, 1, 0x66, 0] + Array("NetASCII".utf8) + [0]
        #expect(try TFTPPacket.decode(bytes) == .readRequest(TFTPRequest(filename: "f", mode: .netascii)))
    }

    @Test func unknownErrorCodesBecomeNotDefinedAndLongMessagesAreCut() throws {
        let bytes: [UInt8] = [0, 5, 0, 99] + Array(repeating: 0x41, count: 2000) + [0]
        guard case .error(let code, let message) = try TFTPPacket.decode(bytes) else {
            Issue.record("not an error packet"); return
        }
        #expect(code == .notDefined)
        #expect(message.utf8.count == 255)
    }

    @Test func acknowledgementIgnoresPadding() throws {
        #expect(try TFTPPacket.decode([0, 4, 0, 3, 0, 0, 0]) == .acknowledgement(block: 3))
    }

    static func request(_ body: [UInt8]) -> [UInt8] { [0, 1] + body }
    static func field(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }

    static let malformed: [(String, [UInt8], TFTPDecodeError)] = [
        ("empty", [], .truncated),
        ("one byte", [0], .truncated),
        ("opcode 0", [0, 0, 1, 2], .unknownOpcode(0)),
        ("opcode 7", [0, 7], .unknownOpcode(7)),
        ("opcode 0xFFFF", [0xFF, 0xFF, 0], .unknownOpcode(0xFFFF)),
        ("ack without block", [0, 4, 1], .truncated),
        ("data without block", [0, 3], .truncated),
        ("error without code", [0, 5, 0], .truncated),
        ("error without NUL", [0, 5, 0, 1, 0x41], .missingTerminator),
        ("request without anything", [0, 1], .missingTerminator),
        ("filename without NUL", request(Array("file".utf8)), .missingTerminator),
        ("mode missing", request(field("file")), .missingTerminator),
        ("mode without NUL", request(field("file") + Array("octet".utf8)), .missingTerminator),
        ("empty filename", request([0] + field("octet")), .emptyFilename),
        ("filename 256 bytes", request(field(String(repeating: "a", count: 256)) + field("octet")), .filenameTooLong(length: 256)),
        ("filename invalid UTF-8", request([0xC3, 0x28, 0] + field("octet")), .invalidText),
        ("mode mail", request(field("f") + field("mail")), .unknownMode("mail")),
        ("mode empty", request(field("f") + field("")), .unknownMode("")),
        ("option without value", request(field("f") + field("octet") + field("blksize")), .optionWithoutValue(name: "blksize")),
        ("option value without NUL", request(field("f") + field("octet") + field("blksize") + Array("512".utf8)), .missingTerminator),
        ("option name without NUL", request(field("f") + field("octet") + Array("blksize".utf8)), .missingTerminator),
        ("empty option name", request(field("f") + field("octet") + field("") + field("1")), .emptyOptionName),
        ("huge option value", request(field("f") + field("octet") + field("blksize") + field(String(repeating: "9", count: 300))), .optionTooLong),
        ("too many options", request(field("f") + field("octet") + (0..<17).flatMap { field("o\($0)") + field("1") }), .tooManyOptions),
        ("oack odd list", [0, 6] + field("tsize"), .optionWithoutValue(name: "tsize")),
        ("oack without NUL", [0, 6] + field("tsize") + [0x31], .missingTerminator),
        ("data too long", [0, 3, 0, 1] + Array(repeating: 0, count: 65465), .dataTooLong(length: 65465)),
    ]

    @Test func malformedDatagramsAreRejectedWithTheRightError() {
        for (name, bytes, expected) in Self.malformed {
            #expect(throws: expected, "\(name)") { _ = try TFTPPacket.decode(bytes) }
        }
    }

    @Test func sixteenOptionsAndA255ByteFilenameAreAccepted() throws {
        let bytes = Self.request(Self.field(String(repeating: "a", count: 255)) + Self.field("octet")
            + (0..<16).flatMap { Self.field("o\($0)") + Self.field("1") })
        guard case .readRequest(let request) = try TFTPPacket.decode(bytes) else { Issue.record("not a RRQ"); return }
        #expect(request.options.count == 16)
    }

    @Test func decodesFromASliceOfALargerBuffer() throws {
        let buffer: [UInt8] = [0xEE, 0, 4, 0, 9, 0xEE]
        #expect(try TFTPPacket.decode(buffer[1...4]) == .acknowledgement(block: 9))
    }
}
