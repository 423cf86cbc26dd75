import AnvilBoot

/// A boot script that carries a machine token, kept unrendered so each request gets its own token
/// (answers are cached per query; tokens are per boot attempt, docs/security.md).
enum BootScript: Sendable, Equatable {
    /// Discovery: the agent environment.
    case agent(name: String, mac: String?)
    /// Install: a target environment, whose config the token fetches once.
    case install(name: String, environmentArguments: [String])

    func render(settings: BootdSettings, token: String?) -> String {
        switch self {
        case .agent(let name, let mac):
            let arguments = BootArguments.agent(mac: mac, endpoints: settings.endpoints, token: token, extra: settings.extraAgentArguments)
            return IPXEScript.environment(name: name, arguments: arguments)
        case .install(let name, let environmentArguments):
            let arguments = BootArguments.target(environmentArguments: environmentArguments, endpoints: settings.endpoints, token: token)
            return IPXEScript.environment(name: name, arguments: arguments)
        }
    }
}
