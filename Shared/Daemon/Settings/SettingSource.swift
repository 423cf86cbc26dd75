import Foundation

/// Resolves one setting the way every Anvil daemon does: the flag, else `ANVIL_<NAME>`,
/// else the Sidero alias `SIDERO_CONTROLLER_MANAGER_<NAME>` (where Sidero has that setting), else the default.
/// The one settings path of docs/architecture.md "Settings".
public struct SettingSource: Sendable {
    public let environment: [String: String]
    /// Relative paths are taken from here.
    public let currentDirectory: URL

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.environment = environment
        self.currentDirectory = URL(fileURLWithPath: currentDirectory, isDirectory: true)
    }

    /// A directory setting, relative paths taken from the current directory; nil when not given.
    public func directory(flag: String?, name: String) -> URL? {
        optionalString(flag: flag, name: name).map(absoluteDirectory)
    }

    /// `path` as an absolute, standardized directory URL.
    public func absoluteDirectory(_ path: String) -> URL {
        URL(fileURLWithPath: path, isDirectory: true, relativeTo: currentDirectory).standardizedFileURL
    }

    /// A `@Flag` switch that may also be turned on by `ANVIL_<NAME>`.
    public func flag(_ set: Bool, name: String) throws -> Bool {
        set ? true : try bool(flag: nil, name: name, default: false)
    }

    /// The raw value and where it came from, for error messages. The flag is `--<name in kebab
    /// case>` unless `flagName` says otherwise (tftpd's `--retries` for `TFTP_RETRIES`).
    public func value(flag: String?, name: String, sideroAlias: Bool, flagName: String? = nil) -> (value: String, origin: String)? {
        if let flag { return (flag, "--\(flagName ?? name.lowercased().replacingOccurrences(of: "_", with: "-"))") }
        let anvil = "ANVIL_\(name)"
        if let value = environment[anvil], !value.isEmpty { return (value, anvil) }
        if sideroAlias {
            let sidero = "SIDERO_CONTROLLER_MANAGER_\(name)"
            // Sidero's clusterctl templates use "-" to mean empty.
            if let value = environment[sidero], !value.isEmpty, value != "-" { return (value, sidero) }
        }
        return nil
    }

    public func string(flag: String?, name: String, flagName: String? = nil, sideroAlias: Bool = false, default fallback: String) -> String {
        value(flag: flag, name: name, sideroAlias: sideroAlias, flagName: flagName)?.value ?? fallback
    }

    public func optionalString(flag: String?, name: String, flagName: String? = nil, sideroAlias: Bool = false) -> String? {
        value(flag: flag, name: name, sideroAlias: sideroAlias, flagName: flagName)?.value
    }

    public func bool(flag: String?, name: String, flagName: String? = nil, sideroAlias: Bool = false, default fallback: Bool) throws -> Bool {
        guard let (raw, origin) = value(flag: flag, name: name, sideroAlias: sideroAlias, flagName: flagName) else { return fallback }
        switch raw.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw SettingError(origin: origin, value: raw, expected: "true or false")
        }
    }

    public func port(flag: String?, name: String, flagName: String? = nil, sideroAlias: Bool = false, default fallback: Int) throws -> Int {
        guard let (raw, origin) = value(flag: flag, name: name, sideroAlias: sideroAlias, flagName: flagName) else { return fallback }
        guard let port = Int(raw), (0...65535).contains(port) else {
            throw SettingError(origin: origin, value: raw, expected: "a port number 0-65535")
        }
        return port
    }

    public func integer(
        flag: String?, name: String, flagName: String? = nil, sideroAlias: Bool = false, range: ClosedRange<Int>, default fallback: Int
    ) throws -> Int {
        guard let (raw, origin) = value(flag: flag, name: name, sideroAlias: sideroAlias, flagName: flagName) else { return fallback }
        guard let value = Int(raw), range.contains(value) else {
            throw SettingError(origin: origin, value: raw, expected: "a whole number \(range.lowerBound)-\(range.upperBound)")
        }
        return value
    }

    /// A Go-style duration; `minimum` refuses shorter ones (naming the value as typed and where it came from).
    public func duration(
        flag: String?, name: String, flagName: String? = nil, sideroAlias: Bool = false, minimum: Duration = .zero,
        default fallback: Duration
    ) throws -> Duration {
        guard let (raw, origin) = value(flag: flag, name: name, sideroAlias: sideroAlias, flagName: flagName) else { return fallback }
        guard let duration = GoDuration.parse(raw), duration >= .zero else {
            throw SettingError(origin: origin, value: raw, expected: "a duration such as 20m, 30s or 1h30m")
        }
        guard duration >= minimum else {
            throw SettingError(origin: origin, value: raw, expected: "at least \(GoDuration.format(minimum))")
        }
        return duration
    }

    public func choice(
        flag: String?, name: String, flagName: String? = nil, sideroAlias: Bool = false, allowed: [String], default fallback: String
    ) throws -> String {
        guard let (raw, origin) = value(flag: flag, name: name, sideroAlias: sideroAlias, flagName: flagName) else { return fallback }
        guard allowed.contains(raw) else {
            throw SettingError(origin: origin, value: raw, expected: "one of \(allowed.joined(separator: ", "))")
        }
        return raw
    }
}

/// A setting whose value cannot be used; the message names where it came from.
public struct SettingError: Error, CustomStringConvertible, Sendable {
    public let origin: String
    public let value: String
    public let expected: String

    public init(origin: String, value: String, expected: String) {
        self.origin = origin
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(origin): \"\(value)\" is not \(expected)" }
}

/// A setting that has no default and was not given.
public struct MissingSettingError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
