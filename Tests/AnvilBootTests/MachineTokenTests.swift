import AnvilBoot
import Foundation
import Testing

@Suite struct MachineTokenTests {
    @Test func tokensAreStablePerUUIDAndVerifyOnlyTheirOwn() {
        let key = MachineTokenKey(bytes: Array(repeating: 7, count: 32))
        let token = key.token(for: "4C4C4544-0000-1000-8000-000000000001")
        #expect(token.count == 32)
        #expect(token == key.token(for: "4c4c4544-0000-1000-8000-000000000001"))
        #expect(key.verify(token, uuid: "4c4c4544-0000-1000-8000-000000000001"))
        #expect(!key.verify(token, uuid: "4c4c4544-0000-1000-8000-000000000002"))
        #expect(!key.verify("", uuid: "4c4c4544-0000-1000-8000-000000000001"))
        #expect(!MachineTokenKey(bytes: Array(repeating: 8, count: 32)).verify(token, uuid: "4c4c4544-0000-1000-8000-000000000001"))
    }

    @Test func keyFileIsCreatedOnceAndShared() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try MachineTokenKey.loadOrCreate(stateDirectory: directory)
        let second = try MachineTokenKey.loadOrCreate(stateDirectory: directory)
        #expect(first.token(for: "u") == second.token(for: "u"))
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("machine-token.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try Data([1, 2, 3]).write(to: directory.appendingPathComponent("machine-token.key"))
        #expect(throws: MachineTokenError.self) { try MachineTokenKey.loadOrCreate(stateDirectory: directory) }
    }
}
