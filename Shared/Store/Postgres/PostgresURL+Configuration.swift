import PostgresNIO

/// postgres-nio configurations for a ``PostgresURL``. Every connection starts with the store's
/// schema as its search_path, so the SQL names tables unqualified, and with lock_timeout set from
/// ``StoreOptions/busyTimeout`` so a stuck lock becomes a retried 55P03, not a hang. The
/// application_name names the schema, so `pg_stat_activity` tells stores sharing a database apart.
extension PostgresURL {
    func startupParameters(options: StoreOptions, applicationName: String? = nil) -> [(String, String)] {
        let lockTimeout = max(1, Int((options.busyTimeout * 1000).rounded()))
        return [
            ("search_path", "\"\(schema)\""), ("lock_timeout", "\(lockTimeout)"),
            ("application_name", applicationName ?? "anvil/\(schema)"),
        ]
    }

    func clientConfiguration(options: StoreOptions, connections: Int = connectionsPerProcess) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .require: .require(Self.unverifiedTLS)
            case .verifyFull: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.additionalStartupParameters = startupParameters(options: options)
        // Resource writes serialise on the revision row anyway, so a few connections per process
        // carry the load; PostgreSQL's default of 100 connections then holds several hosts of six
        // daemons each (docs/deploy.md "Several hosts").
        configuration.options.maximumConnections = connections
        configuration.options.connectTimeout = Self.connectTimeout
        return configuration
    }

    static let connectionsPerProcess = 4

    /// Connecting and authenticating, together (postgres-nio's connectTimeout, default 10 s): a
    /// peer that accepts and never answers is an error then. 30 s because under CI load a
    /// connect took over 6 s.
    static let connectTimeout: Duration = .seconds(30)

    /// One connection for opening the store (its connect error is the clear answer to "is the
    /// server there?", where the pool would keep retrying), or for the change listener, which
    /// names itself apart (`anvil-listen/<schema>`) so an operator or a test can find it.
    func connectionConfiguration(options: StoreOptions, applicationName: String? = nil) throws
        -> PostgresConnection.Configuration
    {
        let tls: PostgresConnection.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .require: .require(try NIOSSLContext(configuration: Self.unverifiedTLS))
            case .verifyFull: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.additionalStartupParameters = startupParameters(
            options: options, applicationName: applicationName)
        configuration.options.connectTimeout = .seconds(Self.connectTimeout.components.seconds)
        return configuration
    }

    /// libpq's `sslmode=require`: encrypted, the certificate not checked.
    private static var unverifiedTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return tls
    }
}
