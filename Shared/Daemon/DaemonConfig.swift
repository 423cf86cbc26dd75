import AnvilStore
import Foundation

/// The settings every daemon runs with (``DaemonOptions`` resolved and checked): identity, state,
/// sockets, HTTP listener, logs.
public struct DaemonConfig: Sendable {
    public var service: String
    public var instance: String?
    public var stateDirectory: URL
    /// Where the store lives (`--store`); SQLite in the state directory unless told otherwise.
    public var store: StoreLocation
    /// The Secret key file (`--secrets-key`).
    public var secretsKey: URL
    public var runDirectory: URL
    public var local: Bool
    public var httpAddress: String
    public var httpPort: Int
    public var logFormat: LogFormat
    public var logLevel: String

    /// Downloaded environment assets, `<state>/env/<name>/{vmlinuz,initramfs.xz}`.
    public var environmentDirectory: URL { stateDirectory.appendingPathComponent("env", isDirectory: true) }

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The name this instance answers to on the bus: `<service>` or `<service>-<instance>`.
    public var busName: String { instance.map { "\(service)-\($0)" } ?? service }

    public init(descriptor: DaemonDescriptor, options: DaemonOptions, source: SettingSource = SettingSource()) throws {
        service = descriptor.name
        instance = source.optionalString(flag: options.instance, name: "INSTANCE")
        if let instance, instance.isEmpty || !instance.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            throw SettingError(origin: "--instance", value: instance, expected: "letters, digits and '-'")
        }
        local = try source.bool(flag: options.local ? "true" : nil, name: "LOCAL", default: false)
        stateDirectory = source.absoluteDirectory(source.string(flag: options.state, name: "STATE", default: ".anvil"))
        if let text = source.optionalString(flag: options.store, name: "STORE") {
            do {
                store = try StoreLocation.parse(text, currentDirectory: source.currentDirectory)
            } catch {
                throw SettingError(origin: options.store != nil ? "--store" : "ANVIL_STORE", value: StoreLocation.masked(text), expected: "sqlite:<path> or postgres://user:password@host:port/database (\(error))")
            }
        } else {
            store = .sqlite(stateDirectory: stateDirectory)
        }
        secretsKey = source.optionalString(flag: options.secretsKey, name: "SECRETS_KEY")
            .map { URL(fileURLWithPath: $0, relativeTo: source.currentDirectory).standardizedFileURL }
            ?? stateDirectory.appendingPathComponent("secrets.key")
        runDirectory = source.directory(flag: options.runDir, name: "RUN_DIR")
            ?? stateDirectory.appendingPathComponent("run", isDirectory: true)
        httpAddress = source.string(flag: options.httpAddress, name: "HTTP_ADDRESS", default: local ? "127.0.0.1" : "0.0.0.0")
        if descriptor.httpPortAliasesSidero, options.httpPort == nil, source.environment["ANVIL_HTTP_PORT"] == nil {
            // bootd's listener is Sidero's "container API port".
            httpPort = try source.port(
                flag: nil, name: "CONTAINER_API_PORT", sideroAlias: true, default: descriptor.defaultHTTPPort)
        } else {
            httpPort = try source.port(flag: options.httpPort, name: "HTTP_PORT", default: descriptor.defaultHTTPPort)
        }
        let format = source.string(flag: options.logFormat, name: "LOG_FORMAT", default: "logfmt")
        guard let logFormat = LogFormat(rawValue: format) else {
            throw SettingError(origin: options.logFormat != nil ? "--log-format" : "ANVIL_LOG_FORMAT", value: format, expected: "one of logfmt, json")
        }
        self.logFormat = logFormat
        logLevel = try source.choice(flag: options.logLevel, name: "LOG_LEVEL", allowed: Self.logLevels, default: "info")
    }

    /// The settings as shown by `service.info` (nothing secret lives here).
    public var summary: [String: String] {
        [
            "state": stateDirectory.path, "store": store.displayName, "secretsKey": secretsKey.path, "runDir": runDirectory.path, "local": "\(local)",
            "httpAddress": httpAddress, "httpPort": "\(httpPort)", "logFormat": logFormat.rawValue, "logLevel": logLevel,
        ]
    }
}
