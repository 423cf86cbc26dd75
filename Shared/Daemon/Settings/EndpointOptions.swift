import ArgumentParser

/// Where servers reach Anvil: rendered into the URLs of iPXE scripts and kernel arguments.
public struct EndpointOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .customLong("api-endpoint"), help: "Address servers reach Anvil on (ANVIL_API_ENDPOINT, SIDERO_CONTROLLER_MANAGER_API_ENDPOINT); required outside local mode.")
    public var apiEndpoint: String?

    @Option(name: .customLong("api-port"), help: "Port servers reach bootd on (ANVIL_API_PORT, SIDERO_CONTROLLER_MANAGER_API_PORT; default 8081).")
    public var apiPort: String?

    @Option(name: .customLong("metadata-port"), help: "Port servers reach metadatad's /configdata and agent API on (ANVIL_METADATA_PORT; default 8082).")
    public var metadataPort: String?

    public func resolve(_ source: SettingSource, config: DaemonConfig) throws -> EndpointSettings {
        guard let endpoint = source.optionalString(flag: apiEndpoint, name: "API_ENDPOINT", sideroAlias: true)
            ?? (config.local ? "127.0.0.1" : nil)
        else {
            throw MissingSettingError(
                message: "the API endpoint is required: give the address servers reach Anvil on with --api-endpoint, ANVIL_API_ENDPOINT or SIDERO_CONTROLLER_MANAGER_API_ENDPOINT, or run in local mode (--local)")
        }
        return EndpointSettings(
            apiEndpoint: endpoint,
            apiPort: try source.port(flag: apiPort, name: "API_PORT", sideroAlias: true, default: 8081),
            metadataPort: try source.port(flag: metadataPort, name: "METADATA_PORT", default: 8082))
    }
}

public struct EndpointSettings: Sendable, Equatable {
    public var apiEndpoint: String
    public var apiPort: Int
    public var metadataPort: Int

    public var summary: [String: String] {
        ["apiEndpoint": apiEndpoint, "apiPort": "\(apiPort)", "metadataPort": "\(metadataPort)"]
    }
}
