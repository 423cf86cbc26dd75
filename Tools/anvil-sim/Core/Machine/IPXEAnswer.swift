/// What bootd's `/ipxe` script tells a simulated machine to do (docs/simulator.md "Boot").
public enum IPXEAnswer: Sendable, Equatable {
    /// `kernel <path> <args>`: boot a kernel; `arguments` are its `key=value` pairs (a later
    /// repetition wins, as on a real kernel command line), `flags` the words without `=`.
    case kernel(path: String, arguments: [String: String], flags: [String])
    /// `exit`: leave iPXE so the firmware tries the next boot device.
    case exit
    /// `sanboot …`: boot the first disk from iPXE.
    case sanboot

    /// The environment a kernel answer boots: the agent (its API endpoint is on the command
    /// line), a target (it carries `talos.config`), or neither.
    public enum Environment: Sendable, Equatable {
        case agent(endpoint: String)
        case target(configURL: String)
        case unknown
    }

    public var environment: Environment? {
        guard case .kernel(_, let arguments, _) = self else { return nil }
        if let config = arguments["talos.config"], !config.isEmpty { return .target(configURL: config) }
        if let endpoint = arguments["anvil.endpoint"] ?? arguments["sidero.endpoint"], !endpoint.isEmpty {
            return .agent(endpoint: endpoint)
        }
        return .unknown
    }
}

/// The error an unusable script raises; the machine logs it and retries as iPXE's boot loop does.
public struct IPXEScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
