import Foundation
import Testing

@testable import AnvilIPMI

/// One case of Vectors/rmcpplus.json, produced by Vectors/make-vectors.py (Python hashlib/hmac + cryptography).
struct RMCPPlusVector: Decodable, Sendable, CustomTestStringConvertible {
    struct Datagram: Decodable, Sendable {
        let sessionID: UInt32
        let sequence: UInt32
        let iv: String
        let rqSeq: UInt8
        let message: String
        let bytes: String
    }

    let name: String
    let suite: UInt8
    let password: String
    let kg: String?
    let userName: String
    let role: UInt8
    let consoleSessionID: UInt32
    let managedSystemSessionID: UInt32
    let consoleRandom: String
    let managedSystemRandom: String
    let managedSystemGUID: String
    let rakp2AuthCode: String
    let rakp3AuthCode: String
    let sik: String
    let k1: String
    let k2: String
    let rakp4IntegrityCheckValue: String
    let datagram: Datagram

    var testDescription: String { name }

    var exchange: RAKPKeyExchange {
        RAKPKeyExchange(
            suite: IPMICipherSuite.supported(id: suite)!, password: [UInt8](hex: password), kg: kg.map { [UInt8](hex: $0) },
            userName: [UInt8](hex: userName), role: role, consoleSessionID: consoleSessionID,
            managedSystemSessionID: managedSystemSessionID, consoleRandom: [UInt8](hex: consoleRandom),
            managedSystemRandom: [UInt8](hex: managedSystemRandom), managedSystemGUID: [UInt8](hex: managedSystemGUID))
    }

    static func load() throws -> [RMCPPlusVector] {
        struct File: Decodable { let cases: [RMCPPlusVector] }
        guard let url = Bundle.module.url(forResource: "rmcpplus", withExtension: "json", subdirectory: "Vectors") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }
}

@Suite("Independent vectors from make-vectors.py (spec §13.31–13.32)")
struct VectorTests {
    static let vectors = (try? RMCPPlusVector.load()) ?? []

    @Test("the vector file loads and covers both suites, both roles, 20-byte passwords and KG")
    func coverage() {
        #expect(Self.vectors.count == 7)
        #expect(Set(Self.vectors.map(\.suite)) == [3, 17])
        #expect(Set(Self.vectors.map(\.role)) == [0x04, 0x14])
        #expect(Self.vectors.contains { $0.password.count == 40 })
        #expect(Self.vectors.contains { $0.kg != nil })
    }

    @Test("RAKP auth codes, SIK, K1, K2 and the RAKP 4 ICV", arguments: VectorTests.vectors)
    func keyExchange(vector: RMCPPlusVector) {
        let exchange = vector.exchange
        #expect(exchange.rakp2AuthCode().hex == vector.rakp2AuthCode)
        #expect(exchange.rakp3AuthCode().hex == vector.rakp3AuthCode)
        #expect(exchange.sessionIntegrityKey().hex == vector.sik)
        let keys = exchange.sessionKeys()
        #expect(keys.integrityKey.hex == vector.k1)
        #expect(keys.confidentialityKey.hex == vector.k2)
        #expect(exchange.rakp4IntegrityCheckValue().hex == vector.rakp4IntegrityCheckValue)
        #expect(exchange.rakp2Matches([UInt8](hex: vector.rakp2AuthCode)))
        #expect(exchange.rakp3Matches([UInt8](hex: vector.rakp3AuthCode)))
        #expect(exchange.rakp4Matches([UInt8](hex: vector.rakp4IntegrityCheckValue)))
        var wrong = [UInt8](hex: vector.rakp2AuthCode)
        wrong[0] ^= 1
        #expect(!exchange.rakp2Matches(wrong))
    }

    @Test("the authenticated, encrypted Get Chassis Status datagram, byte for byte", arguments: VectorTests.vectors)
    func datagram(vector: RMCPPlusVector) throws {
        let keys = vector.exchange.sessionKeys()
        let message = IPMIMessage.encodeRequest(GetChassisStatus.request(), sequence: vector.datagram.rqSeq)
        #expect(message.hex == vector.datagram.message)
        let packet = RMCPPlusPacket(
            payloadType: .ipmi, sessionID: vector.datagram.sessionID, sequence: vector.datagram.sequence, payload: message)
        let bytes = try packet.encode(keys: keys, iv: [UInt8](hex: vector.datagram.iv))
        #expect(bytes.hex == vector.datagram.bytes)
        let decoded = try RMCPPlusPacket.decode([UInt8](hex: vector.datagram.bytes), keys: keys)
        #expect(decoded.payload == message)
        #expect(decoded.encrypted && decoded.authenticated)
        #expect(try IPMIMessage.decodeRequest(decoded.payload).request == GetChassisStatus.request())
    }

    @Test("a zero-padded password is the same KUID as the raw password")
    func paddedPasswordIsSameKey() {
        for vector in Self.vectors where vector.password.count < 40 {
            let raw = vector.exchange
            let padded = RAKPKeyExchange(
                suite: raw.suite, password: [UInt8](hex: vector.password) + [UInt8](repeating: 0, count: 20 - vector.password.count / 2),
                kg: vector.kg.map { [UInt8](hex: $0) }, userName: raw.userName, role: raw.role,
                consoleSessionID: raw.consoleSessionID, managedSystemSessionID: raw.managedSystemSessionID,
                consoleRandom: raw.consoleRandom, managedSystemRandom: raw.managedSystemRandom,
                managedSystemGUID: raw.managedSystemGUID)
            #expect(padded.rakp2AuthCode() == raw.rakp2AuthCode())
            #expect(padded.sessionKeys() == raw.sessionKeys())
        }
    }

    @Test("an all-zero KG counts as unset")
    func zeroKGIsUnset() {
        guard let vector = Self.vectors.first(where: { $0.kg == nil }) else { return }
        let base = vector.exchange
        let zeroKG = RAKPKeyExchange(
            suite: base.suite, password: [UInt8](hex: vector.password), kg: [UInt8](repeating: 0, count: 20),
            userName: base.userName, role: base.role, consoleSessionID: base.consoleSessionID,
            managedSystemSessionID: base.managedSystemSessionID, consoleRandom: base.consoleRandom,
            managedSystemRandom: base.managedSystemRandom, managedSystemGUID: base.managedSystemGUID)
        #expect(zeroKG.sessionIntegrityKey() == base.sessionIntegrityKey())
    }
}
