import PostgresNIO

/// The PostgreSQL schema (docs/plans/issue-18-store-backends.md §3): the SQLite tables of
/// ``StoreMigrations`` with lower-case names, `double precision` timestamps (seconds since 1970)
/// and key columns in `COLLATE "C"` so ordering is byte-wise as in SQLite (C1). All of it runs in
/// one transaction under an advisory lock, so hosts starting at once serialise and later ones find
/// the work done (DDL is transactional in PostgreSQL). Never edit a registered migration: add one.
enum PostgresMigrations {
    /// The advisory lock key of schema changes (with the schema's hash): "anvl" in ASCII, the same on every host.
    static let lockKey: Int32 = 0x616E_766C

    static let migrations: [(id: String, sql: [String])] = [
        (
            "v1: resources, revision, changes, events, leases",
            [
                // One global revision; every resource write bumps it in the same transaction.
                """
                CREATE TABLE revision (id integer PRIMARY KEY CHECK (id = 1), value bigint NOT NULL)
                """,
                "INSERT INTO revision (id, value) VALUES (1, 0) ON CONFLICT DO NOTHING",
                // Body JSON as text, byte-identical to SQLite's (the codec is shared); Secret payloads only in `sealed`.
                """
                CREATE TABLE resources (
                    kind text COLLATE "C" NOT NULL,
                    namespace text COLLATE "C" NOT NULL,
                    name text COLLATE "C" NOT NULL,
                    uid text NOT NULL,
                    resource_version bigint NOT NULL,
                    api_version text NOT NULL,
                    metadata text NOT NULL,
                    body text NOT NULL,
                    sealed bytea,
                    PRIMARY KEY (kind, namespace, name)
                )
                """,
                // Exactly one row per revision, so revisions in the feed are contiguous.
                """
                CREATE TABLE changes (
                    revision bigint PRIMARY KEY,
                    kind text NOT NULL,
                    namespace text NOT NULL,
                    name text NOT NULL,
                    verb text NOT NULL,
                    resource_version bigint NOT NULL
                )
                """,
                """
                CREATE TABLE events (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    kind text NOT NULL,
                    namespace text NOT NULL,
                    name text NOT NULL,
                    uid text,
                    type text NOT NULL,
                    reason text NOT NULL,
                    message text NOT NULL,
                    source text NOT NULL,
                    count bigint NOT NULL,
                    first_timestamp double precision NOT NULL,
                    last_timestamp double precision NOT NULL
                )
                """,
                "CREATE INDEX events_object ON events (kind, namespace, name, reason, last_timestamp)",
                "CREATE INDEX events_last ON events (last_timestamp)",
                """
                CREATE TABLE leases (
                    name text PRIMARY KEY,
                    holder text NOT NULL,
                    acquired_at double precision NOT NULL,
                    renewed_at double precision NOT NULL,
                    expires_at double precision NOT NULL
                )
                """,
            ]
        ),
        (
            "v2: boot attempts",
            [
                // One row per server: its current network-boot attempt (docs/security.md). Not a resource.
                """
                CREATE TABLE boot_attempts (
                    uuid text PRIMARY KEY,
                    nonce text NOT NULL,
                    address text NOT NULL,
                    mac text,
                    issued_at double precision NOT NULL,
                    config_fetched_at double precision,
                    config_fetched_from text
                )
                """,
            ]
        ),
        (
            "v3: secrets key check",
            [
                // The fingerprint of the key that seals Secrets, recorded once and never overwritten (C7).
                """
                CREATE TABLE secrets_key_check (id integer PRIMARY KEY CHECK (id = 1), fingerprint text NOT NULL)
                """,
            ]
        ),
    ]

    /// Brings `schema` (created if missing) up to date on `connection`, whose search_path is it.
    static func migrate(_ connection: PostgresConnection, schema: String, logger: Logger) async throws {
        try await connection.rows("BEGIN", logger: logger)
        do {
            try await migrateInTransaction(connection, schema: schema, logger: logger)
            try await connection.rows("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.rows("ROLLBACK", logger: logger)
            throw error
        }
    }

    private static func migrateInTransaction(_ connection: PostgresConnection, schema: String, logger: Logger) async throws {
        // Hosts starting at once wait for the first one's migration, however short busyTimeout is.
        try await connection.rows("SET LOCAL lock_timeout = '60s'", logger: logger)
        // Keyed by schema too: stores sharing a database migrate independently.
        try await connection.rows("SELECT pg_advisory_xact_lock(\(lockKey), hashtext(\(schema)))", logger: logger)
        // The name is checked by PostgresURL ([a-z0-9_]), so quoting it is enough.
        try await connection.rows(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""), logger: logger)
        let tables = try await connection.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = \(schema)", logger: logger
        ).map { try $0.decode(String.self) }
        if !tables.contains("anvil_migrations") {
            guard tables.isEmpty else {
                throw StoreError.database(
                    "schema \"\(schema)\" holds tables (\(tables.sorted().prefix(5).joined(separator: ", "))) but no "
                        + "anvil_migrations: it is not an Anvil store; choose another schema with ?schema=")
            }
            try await connection.rows(
                "CREATE TABLE anvil_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
        }
        let applied = Set(
            try await connection.rows("SELECT id FROM anvil_migrations", logger: logger).map { try $0.decode(String.self) })
        let known = Set(migrations.map(\.id))
        guard applied.isSubset(of: known) else { throw StoreError.schemaTooNew }
        for migration in migrations where !applied.contains(migration.id) {
            for statement in migration.sql {
                try await connection.rows(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.rows("INSERT INTO anvil_migrations (id) VALUES (\(migration.id))", logger: logger)
        }
    }
}
