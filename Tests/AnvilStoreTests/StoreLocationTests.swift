import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// `Store.open(location:secretsKey:)` and the row form every back-end stores (``ResourceCodec``).
@Suite struct StoreLocationTests {
    @Test func sqliteLocationOpensTheSameStoreAsTheStateDirectory() async throws {
        try await withTemporaryDirectory { directory in
            let state = directory.appendingPathComponent("state")
            let store = try await Store.open(
                location: .sqlite(path: state.appendingPathComponent("anvil.db")),
                secretsKey: directory.appendingPathComponent("secrets.key"))
            _ = try await store.create(secret("bmc", body: ["data": ["password": "aGVsbG8="]]))
            #expect(try await store.integrityCheck() == "ok")
            await store.close()

            let reopened = try Store(
                databaseURL: state.appendingPathComponent("anvil.db"), keyURL: directory.appendingPathComponent("secrets.key"))
            let found = try await reopened.get(kind: "Secret", namespace: "default", name: "bmc")
            #expect(found.body["data"]?["password"] == "aGVsbG8=")
        }
    }

    /// Nothing listens on port 1: a clear database error naming where, never the password (the
    /// daemons retry on it, Shared/Daemon/DaemonStoreOpening.swift).
    @Test func anUnreachablePostgresIsADatabaseErrorNamingItWithoutThePassword() async throws {
        try await withTemporaryDirectory { directory in
            let error = await #expect(throws: StoreError.self) {
                _ = try await Store.open(
                    location: .postgres(url: "postgres://anvil:s3cret@127.0.0.1:1/anvil"),
                    secretsKey: directory.appendingPathComponent("secrets.key"))
            }
            guard case .database(let message) = error else {
                Issue.record("expected StoreError.database, got \(String(describing: error))")
                return
            }
            #expect(message.contains("127.0.0.1:1"), "\(message)")
            #expect(!message.contains("s3cret"), "\(message)")
        }
    }

    @Test func codecSealsSecretFieldsAndRoundTrips() throws {
        let codec = ResourceCodec(key: [UInt8](repeating: 7, count: 32))
        var resource = secret("bmc", body: ["data": ["password": "aGVsbG8="], "type": "Opaque"])
        resource.metadata.uid = "u-1"
        resource.metadata.resourceVersion = "5"
        let row = try codec.encode(resource, revision: 5)
        #expect(row.key == ResourceKey(kind: "Secret", namespace: "default", name: "bmc"))
        #expect(row.uid == "u-1" && row.revision == 5 && row.sealed != nil)
        #expect(row.body == #"{"type":"Opaque"}"#, "sealed fields never reach the body column")
        #expect(try codec.decode(row) == resource)

        var tampered = row
        tampered.name = "other"
        #expect(throws: StoreError.self) { _ = try codec.decode(tampered) }
    }
}
