import Crypto
import Foundation
import GRDB

/// Ties `secrets.key` to the database whose Secrets it seals. The database records the key's
/// fingerprint (an HMAC of a fixed text under the key, so it reveals nothing of the key); at open
/// a missing key is never silently replaced while Secrets are sealed, and a different key is
/// refused at start-up instead of failing on every later Secret read.
enum SecretKeyCheck {
    /// Kept outside the migrator (created if absent) so older stores gain it without a schema bump.
    private static let createTable = """
        CREATE TABLE IF NOT EXISTS secrets_key_check (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            fingerprint TEXT NOT NULL
        )
        """

    /// What the database says about the key it expects.
    private struct Recorded: Sendable {
        var fingerprint: String?
        var sealedCount: Int
        /// One sealed row, to verify a key against when no fingerprint was recorded yet.
        var sample: (kind: String, namespace: String, name: String, sealed: Data)?
    }

    /// Loads (or, when nothing is sealed yet, creates) the key at `keyPath` and checks it against
    /// the database. Call under the store's migration lock, so concurrent first opens agree.
    static func verifiedKey(keyPath: String, databasePath: String, pool: DatabasePool) throws -> [UInt8] {
        let recorded = try pool.read(readRecorded)
        let key: [UInt8]
        if let existing = try SecretKeyFile.load(keyPath) {
            key = existing
        } else {
            guard recorded.sealedCount == 0 else {
                throw StoreError.secretKey(
                    "\(keyPath) is missing, but \(databasePath) holds \(recorded.sealedCount) Secret(s) sealed with key id "
                        + "\(recorded.fingerprint ?? "unknown"); restore secrets.key from a backup of this state directory "
                        + "(32 bytes, mode 0600). No new key was created: it would make every stored Secret unreadable")
            }
            key = try SecretKeyFile.loadOrCreate(at: keyPath)
        }
        let actual = fingerprint(key)
        if recorded.fingerprint == actual { return key }
        if recorded.sealedCount > 0 {
            let matches: Bool
            if let expected = recorded.fingerprint {
                matches = expected == actual
            } else if let sample = recorded.sample {
                // A store from before fingerprints: the key is right if it opens a Secret.
                matches = (try? SecretCipher(keyBytes: key).open(
                    sample.sealed, kind: sample.kind, namespace: sample.namespace, name: sample.name)) != nil
            } else {
                matches = true
            }
            guard matches else {
                throw StoreError.secretKey(
                    "\(keyPath) is not the key the Secrets in \(databasePath) were sealed with (this key has id \(actual), "
                        + "the store expects \(recorded.fingerprint ?? "the key that sealed them")); restore the original "
                        + "secrets.key from a backup of this state directory")
            }
        }
        // First open, a store from before fingerprints, or a key replaced while no Secret was sealed.
        try pool.write { db in
            try db.execute(sql: createTable)
            try db.execute(
                sql: "INSERT INTO secrets_key_check (id, fingerprint) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET fingerprint = excluded.fingerprint",
                arguments: [actual])
        }
        return key
    }

    /// A short public id of the key: HMAC-SHA256 of a fixed label, first 8 bytes in hex.
    static func fingerprint(_ key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("anvil secrets.key fingerprint v1".utf8), using: SymmetricKey(data: key))
        return mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    private static func readRecorded(_ db: Database) throws -> Recorded {
        var recorded = Recorded(sealedCount: 0)
        if try db.tableExists("secrets_key_check") {
            recorded.fingerprint = try String.fetchOne(db, sql: "SELECT fingerprint FROM secrets_key_check WHERE id = 1")
        }
        recorded.sealedCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM resources WHERE sealed IS NOT NULL") ?? 0
        if let row = try Row.fetchOne(db, sql: "SELECT kind, namespace, name, sealed FROM resources WHERE sealed IS NOT NULL LIMIT 1") {
            recorded.sample = (row["kind"], row["namespace"], row["name"], row["sealed"])
        }
        return recorded
    }
}
