/// What the agent reads from its kernel command line (`/proc/cmdline`), as bootd wrote it
/// (docs/agent.md "Kernel arguments"). Sidero's names are accepted beside Anvil's.
public struct KernelCommandLine: Sendable, Equatable {
    /// `key=value` pairs; a later repetition wins, as the operator's extra arguments override.
    public let values: [String: String]
    /// Arguments without `=` (flags such as `quiet`).
    public let flags: Set<String>

    public init(_ text: String) {
        var values: [String: String] = [:]
        var flags: Set<String> = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            if let equals = word.firstIndex(of: "=") {
                values[String(word[..<equals])] = String(word[word.index(after: equals)...])
            } else {
                flags.insert(String(word))
            }
        }
        self.values = values
        self.flags = flags
    }

    /// `host:port` of the agent API (metadatad): `anvil.endpoint`, else `sidero.endpoint`.
    public var endpoint: String? { nonEmpty("anvil.endpoint") ?? nonEmpty("sidero.endpoint") }

    /// The machine token bootd minted for this server.
    public var token: String? { nonEmpty("anvil.token") }

    /// The MAC of the NIC that network-booted, lower-case with colons.
    public var bootMAC: String? { (nonEmpty("anvil.mac") ?? nonEmpty("sidero.mac"))?.lowercased().replacingOccurrences(of: "-", with: ":") }

    /// `anvil.poweroff=1`: power off instead of rebooting when done (tests and benchmarks).
    public var powerOffWhenDone: Bool { ["1", "true", "yes"].contains(values["anvil.poweroff"] ?? "") }

    private func nonEmpty(_ key: String) -> String? {
        values[key].flatMap { $0.isEmpty ? nil : $0 }
    }
}
