import ArgumentParser

/// The flags every daemon accepts: where its state and sockets are, its HTTP listener and its
/// logs. Each has an `ANVIL_*` variable. A daemon composes these with the setting groups it uses
/// (`Settings/`) and its own; see docs/architecture.md "Settings".
public struct DaemonOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .long, help: "State directory holding the database, the secrets key, run/ and logs/ (ANVIL_STATE; default ./.anvil).")
    public var state: String?

    @Option(name: .long, help: "The store: sqlite:<path> or postgres://user:password@host:port/database[?schema=…] (ANVIL_STORE; default sqlite:<state>/anvil.db).")
    public var store: String?

    @Option(name: .customLong("secrets-key"), help: "The key that seals Secrets; every host sharing a store needs the same file (ANVIL_SECRETS_KEY; default <state>/secrets.key).")
    public var secretsKey: String?

    @Option(name: .customLong("run-dir"), help: "Directory of bus sockets (ANVIL_RUN_DIR; default <state>/run).")
    public var runDir: String?

    @Option(name: .long, help: "Instance name, for several replicas of one daemon (ANVIL_INSTANCE).")
    public var instance: String?

    @Flag(name: .long, help: "Local mode, as under `anvil up`: unprivileged ports, loopback addresses (ANVIL_LOCAL).")
    public var local: Bool = false

    @Option(name: .customLong("http-address"), help: "Address the HTTP listener binds (ANVIL_HTTP_ADDRESS; default 0.0.0.0, 127.0.0.1 in local mode).")
    public var httpAddress: String?

    @Option(name: .customLong("http-port"), help: "Port of this daemon's HTTP listener: /healthz, /metrics and its own endpoints (ANVIL_HTTP_PORT).")
    public var httpPort: String?

    @Option(name: .customLong("log-format"), help: "logfmt or json (ANVIL_LOG_FORMAT).")
    public var logFormat: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical (ANVIL_LOG_LEVEL).")
    public var logLevel: String?
}
