import Testing

@testable import AnvilIPMI

@Suite("Open Session and RAKP messages (spec §13.17–13.23)")
struct RAKPMessageTests {
    @Test("Open Session Request layout and round trip")
    func openSessionRequest() throws {
        let request = OpenSessionRequest(tag: 0x01, requestedPrivilege: .administrator, consoleSessionID: 0xA0B0_C0D0, suite: .suite17)
        let bytes = request.encode()
        #expect(
            bytes
                == [UInt8](hex: "01 04 0000 d0c0b0a0 00000008 03000000 01000008 04000000 02000008 01000000"))
        #expect(try OpenSessionRequest.decode(bytes) == request)
        let highest = OpenSessionRequest(tag: 9, requestedPrivilege: nil, consoleSessionID: 1, suite: .suite3)
        #expect(highest.encode()[1] == 0)
        #expect(try OpenSessionRequest.decode(highest.encode()) == highest)
    }

    @Test("Open Session Response round trip, short error form, suite lookup")
    func openSessionResponse() throws {
        let response = OpenSessionResponse(
            tag: 1, maximumPrivilege: 4, consoleSessionID: 0xA0B0_C0D0, managedSystemSessionID: 0x0102_0304, suite: .suite3)
        let bytes = response.encode()
        #expect(bytes.count == 36)
        #expect(Array(bytes[8..<12]) == [0x04, 0x03, 0x02, 0x01])
        let decoded = try OpenSessionResponse.decode(bytes)
        #expect(decoded == response)
        #expect(decoded.suite == .suite3)
        let error = try OpenSessionResponse.decode([1, 0x11, 0, 0, 0xD0, 0xC0, 0xB0, 0xA0])
        #expect(error.status == 0x11)
        #expect(error.consoleSessionID == 0xA0B0_C0D0)
        #expect(error.suite == nil)
        #expect(throws: IPMIDecodeError.self) { try OpenSessionResponse.decode([1, 0, 0, 0, 0xD0, 0xC0, 0xB0, 0xA0]) }
    }

    @Test("RAKP 1 layout, role helper and round trip")
    func rakp1() throws {
        let message = RAKPMessage1(
            tag: 2, managedSystemSessionID: 0x0102_0304, consoleRandom: Array(0xA0...0xAF),
            role: RAKPMessage1.role(.administrator), userName: Array("admin".utf8))
        #expect(message.role == 0x14)
        let bytes = message.encode()
        #expect(bytes == [UInt8](hex: "02 000000 04030201 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf 14 0000 05 61646d696e"))
        #expect(try RAKPMessage1.decode(bytes) == message)
        var tooLong = bytes
        tooLong[27] = 17
        #expect(throws: IPMIDecodeError.self) { try RAKPMessage1.decode(tooLong + [UInt8](repeating: 0x41, count: 12)) }
    }

    @Test("RAKP 2, 3, 4 round trips, including short error replies")
    func rakp234() throws {
        let two = RAKPMessage2(
            tag: 3, status: 0, consoleSessionID: 0xA0B0_C0D0, managedSystemRandom: Array(0xB0...0xBF),
            managedSystemGUID: Array(0xC0...0xCF), keyExchangeAuthCode: [UInt8](repeating: 0x55, count: 32))
        #expect(try RAKPMessage2.decode(two.encode()) == two)
        let twoError = RAKPMessage2(
            tag: 3, status: RMCPPlusStatusCode.unauthorizedName, consoleSessionID: 5, managedSystemRandom: [],
            managedSystemGUID: [], keyExchangeAuthCode: [])
        #expect(twoError.encode().count == 8)
        #expect(try RAKPMessage2.decode(twoError.encode()) == twoError)
        #expect(throws: IPMIDecodeError.self) { try RAKPMessage2.decode(Array(two.encode().prefix(20))) }

        let three = RAKPMessage3(tag: 4, status: 0, managedSystemSessionID: 0x0102_0304, keyExchangeAuthCode: Array(1...20))
        #expect(three.encode().prefix(8) == [4, 0, 0, 0, 4, 3, 2, 1])
        #expect(try RAKPMessage3.decode(three.encode()) == three)

        let four = RAKPMessage4(tag: 5, status: 0, consoleSessionID: 0xA0B0_C0D0, integrityCheckValue: Array(1...12))
        #expect(try RAKPMessage4.decode(four.encode()) == four)
        for length in 0..<8 {
            #expect(throws: IPMIDecodeError.self) { try RAKPMessage3.decode(Array(three.encode().prefix(length))) }
            #expect(throws: IPMIDecodeError.self) { try RAKPMessage4.decode(Array(four.encode().prefix(length))) }
        }
    }

    @Test("status code descriptions")
    func statusCodes() {
        #expect(RMCPPlusStatusCode.describe(0x00) == "no errors")
        #expect(RMCPPlusStatusCode.describe(0x0D) == "unauthorized name")
        #expect(RMCPPlusStatusCode.describe(0x0F) == "invalid integrity check value")
        #expect(RMCPPlusStatusCode.describe(0x09) == "invalid role")
        #expect(RMCPPlusStatusCode.describe(0x12) == "illegal or unrecognized parameter")
        #expect(RMCPPlusStatusCode.describe(0x40).contains("reserved"))
    }

    @Test("cipher suite choice: 17, then 3, never 0")
    func cipherSuiteChoice() {
        #expect(IPMICipherSuite.preferred(from: [0, 1, 2, 3, 17]) == .suite17)
        #expect(IPMICipherSuite.preferred(from: [0, 1, 2, 3]) == .suite3)
        #expect(IPMICipherSuite.preferred(from: [0, 1, 2]) == nil)
        #expect(IPMICipherSuite.supported(id: 0) == nil)
        #expect(IPMICipherSuite.supported(id: 3) == .suite3)
        #expect(IPMICipherSuite.supported(id: 17)?.integrity == .hmacSHA256_128)
    }
}
