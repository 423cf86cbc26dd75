import AnvilBoot
import Foundation
import Testing

@Suite struct MachineTokenTests {
    static let uuid = "4c4c4544-0000-1000-8000-000000000001"
    static let key = MachineTokenKey(bytes: Array(repeating: 7, count: 32))
    static let issued = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func anAttemptTokenVerifiesOnlyForItsServerAddressAndWindow() throws {
        let token = Self.key.attemptToken(uuid: Self.uuid.uppercased(), address: "10.0.0.5", issuedAt: Self.issued, nonce: 0xdead_beef)
        #expect(token.text.count == 49)
        #expect(token.nonceText == "deadbeef")
        #expect(AttemptToken(token.text) == token)
        let later = Self.issued.addingTimeInterval(600)
        #expect(try Self.key.verifyAttempt(token.text, uuid: Self.uuid, address: "10.0.0.5", now: later, window: .seconds(3600)).get() == token)
        // Another address, another server, another key: refused alike.
        #expect(Self.key.verifyAttempt(token.text, uuid: Self.uuid, address: "10.0.0.6", now: later, window: .seconds(3600))
            == .failure(.wrongServerOrAddress))
        #expect(Self.key.verifyAttempt(token.text, uuid: "4c4c4544-0000-1000-8000-000000000002", address: "10.0.0.5", now: later, window: .seconds(3600))
            == .failure(.wrongServerOrAddress))
        #expect(MachineTokenKey(bytes: Array(repeating: 8, count: 32))
            .verifyAttempt(token.text, uuid: Self.uuid, address: "10.0.0.5", now: later, window: .seconds(3600)) == .failure(.wrongServerOrAddress))
        // Past its window, or dated well in the future.
        #expect(Self.key.verifyAttempt(token.text, uuid: Self.uuid, address: "10.0.0.5", now: Self.issued.addingTimeInterval(3601), window: .seconds(3600))
            == .failure(.expired(ageSeconds: 3601, windowSeconds: 3600)))
        #expect(Self.key.verifyAttempt(token.text, uuid: Self.uuid, address: "10.0.0.5", now: Self.issued.addingTimeInterval(-120), window: .seconds(3600))
            == .failure(.notYetValid))
    }

    @Test func anythingButAnAttemptTokenIsMalformed() {
        for text in ["", "0123456789abcdef0123456789abcdef", String(repeating: "a", count: 48), "a" + String(repeating: "g", count: 48),
                     "b" + String(repeating: "0", count: 48)] {
            #expect(Self.key.verifyAttempt(text, uuid: Self.uuid, address: "10.0.0.5", now: Self.issued, window: .seconds(60)) == .failure(.malformed))
        }
    }

    @Test func keyFileIsCreatedOnceAndShared() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try MachineTokenKey.loadOrCreate(stateDirectory: directory)
        let second = try MachineTokenKey.loadOrCreate(stateDirectory: directory)
        let token = first.attemptToken(uuid: Self.uuid, address: "127.0.0.1", issuedAt: Self.issued, nonce: 1)
        #expect((try? second.verifyAttempt(token.text, uuid: Self.uuid, address: "127.0.0.1", now: Self.issued, window: .seconds(60)).get()) != nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("machine-token.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try Data([1, 2, 3]).write(to: directory.appendingPathComponent("machine-token.key"))
        #expect(throws: MachineTokenError.self) { try MachineTokenKey.loadOrCreate(stateDirectory: directory) }
    }
}
