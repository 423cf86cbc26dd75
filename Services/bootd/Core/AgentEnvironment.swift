/// Names of agent pseudo-environments, served from the agent directory instead of the store.
enum AgentEnvironment {
    static let architectures = ["amd64", "arm64"]

    static func name(arch: String) -> String { "agent-\(arch)" }

    static func isAgent(_ name: String) -> Bool {
        architectures.contains { name == "agent-\($0)" }
    }
}
