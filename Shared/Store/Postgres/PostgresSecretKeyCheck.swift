import Foundation
import PostgresNIO

/// ``SecretKeyCheck`` for a database several hosts share (C7, docs/plans/issue-18-store-backends.md
/// §3). Hosts share no file system, so the key file's link() race protects nothing across them:
/// the fingerprint recorded in the database decides. It is recorded once (INSERT … ON CONFLICT DO
/// NOTHING, then read back, so of two hosts starting with different keys one wins and the other is
/// refused) and never overwritten; a host with no key file creates one only for a store that has
/// neither a fingerprint nor a sealed Secret.
enum PostgresSecretKeyCheck {
    static func verifiedKey(keyPath: String, store: String, connection: PostgresConnection, logger: Logger) async throws
        -> [UInt8]
    {
        let recorded = try await recordedFingerprint(connection, logger: logger)
        let sealed = try await connection.rows(
            "SELECT kind, namespace, name, sealed FROM resources WHERE sealed IS NOT NULL LIMIT 1", logger: logger
        ).first.map { try $0.decode((String, String, String, Data).self) }

        let key: [UInt8]
        if let existing = try SecretKeyFile.load(keyPath) {
            key = existing
        } else {
            if recorded != nil || sealed != nil {
                throw StoreError.secretKey(
                    "\(keyPath) is missing, but \(store) expects the key with id \(recorded ?? "unknown") and may hold "
                        + "Secrets sealed with it; copy secrets.key (32 bytes, mode 0600) from another host of this store "
                        + "or a backup. No new key was created: it would make every stored Secret unreadable")
            }
            key = try SecretKeyFile.loadOrCreate(at: keyPath)
        }
        let actual = SecretKeyCheck.fingerprint(key)
        if let recorded {
            guard recorded == actual else { throw mismatch(keyPath: keyPath, store: store, actual: actual, expected: recorded) }
            return key
        }
        if let (kind, namespace, name, payload) = sealed {
            // Sealed rows but no fingerprint (not written by this back-end): the key is right if it opens one.
            guard (try? SecretCipher(keyBytes: key).open(payload, kind: kind, namespace: namespace, name: name)) != nil else {
                throw mismatch(keyPath: keyPath, store: store, actual: actual, expected: nil)
            }
        }
        try await connection.rows(
            "INSERT INTO secrets_key_check (id, fingerprint) VALUES (1, \(actual)) ON CONFLICT (id) DO NOTHING",
            logger: logger)
        let winner = try await recordedFingerprint(connection, logger: logger)
        guard winner == actual else { throw mismatch(keyPath: keyPath, store: store, actual: actual, expected: winner) }
        return key
    }

    private static func recordedFingerprint(_ connection: PostgresConnection, logger: Logger) async throws -> String? {
        try await connection.rows("SELECT fingerprint FROM secrets_key_check WHERE id = 1", logger: logger)
            .first.map { try $0.decode(String.self) }
    }

    private static func mismatch(keyPath: String, store: String, actual: String, expected: String?) -> StoreError {
        StoreError.secretKey(
            "\(keyPath) is not the key of \(store) (this key has id \(actual), the store expects "
                + "\(expected ?? "the key that sealed its Secrets")); every host of a store needs the same secrets.key: "
                + "copy it from another host or a backup")
    }
}
