import GRDB

/// The schema, as versioned migrations. Never edit a registered migration: add a new one.
/// Run under the store's flock (see `SQLiteBackend.open`), so concurrent first opens are serialised.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: resources, revision, changes, events, leases") { db in
            // One global revision; every resource write bumps it in the same transaction.
            try db.execute(sql: """
                CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                INSERT INTO revision (id, value) VALUES (1, 0);
                """)
            // Body JSON as text (readable with sqlite3 CLI); Secret payloads only in `sealed`.
            try db.execute(sql: """
                CREATE TABLE resources (
                    kind TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    uid TEXT NOT NULL,
                    resourceVersion INTEGER NOT NULL,
                    apiVersion TEXT NOT NULL,
                    metadata TEXT NOT NULL,
                    body TEXT NOT NULL,
                    sealed BLOB
                );
                CREATE UNIQUE INDEX resources_key ON resources (kind, namespace, name);
                """)
            // Exactly one row per revision, so revisions in the feed are contiguous.
            try db.execute(sql: """
                CREATE TABLE changes (
                    revision INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    verb TEXT NOT NULL,
                    resourceVersion INTEGER NOT NULL
                );
                """)
            try db.execute(sql: """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    name TEXT NOT NULL,
                    uid TEXT,
                    type TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    message TEXT NOT NULL,
                    source TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    firstTimestamp REAL NOT NULL,
                    lastTimestamp REAL NOT NULL
                );
                CREATE INDEX events_object ON events (kind, namespace, name, reason, lastTimestamp);
                CREATE INDEX events_last ON events (lastTimestamp);
                """)
            try db.execute(sql: """
                CREATE TABLE leases (
                    name TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    acquiredAt REAL NOT NULL,
                    renewedAt REAL NOT NULL,
                    expiresAt REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: boot attempts") { db in
            // One row per server: its current network-boot attempt (docs/security.md). Not a
            // resource: no revision, no change feed; bootd and metadatad replicas share it.
            try db.execute(sql: """
                CREATE TABLE bootAttempts (
                    uuid TEXT PRIMARY KEY,
                    nonce TEXT NOT NULL,
                    address TEXT NOT NULL,
                    mac TEXT,
                    issuedAt REAL NOT NULL,
                    configFetchedAt REAL,
                    configFetchedFrom TEXT
                );
                """)
        }
        return migrator
    }
}
