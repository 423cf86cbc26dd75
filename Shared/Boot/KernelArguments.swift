/// Kernel command-line arguments with `key=value` override semantics (Sidero's extra agent
/// kernel args: an argument replaces every earlier one with the same key).
public struct KernelArguments: Equatable, Sendable {
    public private(set) var arguments: [String]

    public init(_ arguments: [String] = []) {
        self.arguments = arguments.filter { !$0.isEmpty }
    }

    /// Splits a space-separated command line (the `--extra-agent-kernel-args` form).
    public init(commandLine: String) {
        self.init(commandLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
    }

    /// The part before `=`, or the whole argument for a flag like `quiet`.
    public static func key(of argument: String) -> Substring {
        argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? argument[...]
    }

    public func contains(key: String) -> Bool {
        arguments.contains { Self.key(of: $0) == key }
    }

    /// Appends `argument` unless one with its key is present (Sidero's appendTalosArguments).
    public mutating func appendIfMissing(_ argument: String) {
        if !contains(key: String(Self.key(of: argument))) { arguments.append(argument) }
    }

    /// Each override replaces the first argument with its key (later duplicates go) or is appended.
    public mutating func override(with overrides: KernelArguments) {
        for argument in overrides.arguments {
            let key = Self.key(of: argument)
            if let first = arguments.firstIndex(where: { Self.key(of: $0) == key }) {
                arguments[first] = argument
                var index = arguments.index(after: first)
                while index < arguments.endIndex {
                    if Self.key(of: arguments[index]) == key { arguments.remove(at: index) } else { index += 1 }
                }
            } else {
                arguments.append(argument)
            }
        }
    }
}
