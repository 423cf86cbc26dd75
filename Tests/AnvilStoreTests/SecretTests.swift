import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

@Suite struct SecretTests {
    static let plaintext = "hunter2-bmc-password-4f9c2e"
    static let stringPlaintext = "talos-machine-config-7d1a8b"

    static func fileContents(_ directory: URL) throws -> Data {
        var all = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("anvil.db") {
            all += try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return all
    }

    /// SQLite's files; PostgresBackendTests checks the rows PostgreSQL holds.
    @Test func secretDataIsEncryptedAtRest() async throws {
        try await withStore { store, directory in
            let encoded = Data(Self.plaintext.utf8).base64EncodedString()
            let created = try await store.create(
                secret(
                    "bmc", body: ["type": "Opaque", "data": ["pass": .string(encoded)], "stringData": ["value": .string(Self.stringPlaintext)]]
                ))
            #expect(created.body["data"]?["pass"]?.stringValue == encoded)

            // Reads decrypt, whether by get or list.
            let fetched = try await store.get(kind: "Secret", namespace: "default", name: "bmc")
            #expect(fetched.body["data"]?["pass"]?.stringValue == encoded)
            #expect(fetched.body["stringData"]?["value"]?.stringValue == Self.stringPlaintext)
            #expect(fetched.body["type"] == "Opaque")
            #expect(try await store.list(kind: "Secret").first == fetched)

            // Updates re-seal.
            var changed = fetched
            changed.body["stringData"] = ["value": .string(Self.stringPlaintext + "-v2")]
            _ = try await store.update(changed)

            // Neither the plaintext nor its base64 is anywhere in the database or its WAL.
            let raw = try Self.fileContents(directory)
            #expect(!raw.isEmpty)
            for needle in [Self.plaintext, encoded, Self.stringPlaintext, Data(Self.stringPlaintext.utf8).base64EncodedString()] {
                #expect(raw.range(of: Data(needle.utf8)) == nil, "found \(needle.prefix(4))… in the database files")
            }
            // …while non-secret fields are stored as plain JSON (the check above would see them).
            #expect(raw.range(of: Data("Opaque".utf8)) != nil)
        }
    }

    @Test func keyFileIsPrivateAndReused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await Store.open(stateDirectory: directory)
            _ = try await store.create(secret("s", body: ["stringData": ["v": "x"]]))
            let keyPath = directory.appendingPathComponent("secrets.key").path
            let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect((attributes[.size] as? NSNumber)?.intValue == 32)
            let key = try Data(contentsOf: URL(fileURLWithPath: keyPath))

            let reopened = try await Store.open(stateDirectory: directory)
            #expect(try await reopened.get(kind: "Secret", namespace: "default", name: "s").body["stringData"]?["v"] == "x")
            #expect(try Data(contentsOf: URL(fileURLWithPath: keyPath)) == key)
            // No temp files left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.hasSuffix(".tmp") })
        }
    }

    @Test func wrongKeyIsRefusedAtOpen() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await Store.open(stateDirectory: directory)
            _ = try await store.create(secret("s", body: ["stringData": ["v": "x"]]))
            let other = directory.appendingPathComponent("other.key")
            let error = #expect(throws: StoreError.self) {
                _ = try Store(databaseURL: directory.appendingPathComponent("anvil.db"), keyURL: other)
            }
            #expect(error?.description.contains("\(other.path) is missing") == true, "\(String(describing: error))")
        }
    }

    @Test func malformedKeyFileIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            try Data("short".utf8).write(to: directory.appendingPathComponent("secrets.key"))
            await #expect(throws: StoreError.self) { _ = try await Store.open(stateDirectory: directory) }
        }
    }
}
