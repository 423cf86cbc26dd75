/// Where booted machines reach Anvil: rendered into kernel arguments and URLs.
public struct BootEndpoints: Equatable, Sendable {
    /// The address servers reach Anvil on (`--api-endpoint`).
    public var apiEndpoint: String
    /// bootd's port (`--api-port`, Sidero's API port).
    public var apiPort: Int
    /// metadatad's port, for the `talos.config` URL.
    public var metadataPort: Int

    public init(apiEndpoint: String, apiPort: Int, metadataPort: Int) {
        self.apiEndpoint = apiEndpoint
        self.apiPort = apiPort
        self.metadataPort = metadataPort
    }

    /// `host:port` with IPv6 literals bracketed.
    public static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Kernel command lines for the agent and for target environments.
public enum BootArguments {
    /// The agent's base arguments (Sidero's agent environment, without Talos' kernel defaults).
    public static let agentBase = ["console=tty0", "console=ttyS0", "initrd=initramfs.xz", "panic=30"]

    /// Agent: base arguments, where to find the agent API (metadatad's port, under Sidero's and
    /// Anvil's names), the booting NIC, the machine token, then the operator's extra arguments
    /// overriding by key.
    public static func agent(mac: String?, endpoints: BootEndpoints, token: String?, extra: KernelArguments) -> [String] {
        let endpoint = BootEndpoints.hostPort(endpoints.apiEndpoint, endpoints.metadataPort)
        var arguments = KernelArguments(agentBase + ["sidero.endpoint=\(endpoint)", "anvil.endpoint=\(endpoint)"])
        if let mac { arguments.appendIfMissing("sidero.mac=\(mac)") }
        if let token { arguments.appendIfMissing("anvil.token=\(token)") }
        arguments.override(with: extra)
        return arguments.arguments
    }

    /// Target environment: its own arguments, then the config URL unless one is given (Talos
    /// appends the UUID to it, so `uuid=` comes last) and the machine token.
    public static func target(environmentArguments: [String], endpoints: BootEndpoints, token: String?) -> [String] {
        var arguments = KernelArguments(environmentArguments)
        arguments.appendIfMissing("talos.config=\(configURL(endpoints: endpoints, token: token))")
        if let token { arguments.appendIfMissing("anvil.token=\(token)") }
        return arguments.arguments
    }

    /// `http://<endpoint>:<metadata port>/configdata?[token=…&]uuid=`
    public static func configURL(endpoints: BootEndpoints, token: String?) -> String {
        let base = "http://\(BootEndpoints.hostPort(endpoints.apiEndpoint, endpoints.metadataPort))/configdata?"
        return base + (token.map { "token=\($0)&" } ?? "") + "uuid="
    }
}
