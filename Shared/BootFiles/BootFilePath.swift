/// A requested path checked and normalised lexically before it touches the file system
/// (Sidero's `cleanPath`, Tinkerbell's "traversal outside the directory is rejected").
public struct BootFilePath: Sendable, Hashable, CustomStringConvertible {
    /// Non-empty components, none of them "." or "..".
    public let components: [String]

    /// The longest request accepted, in bytes (RFC 1350 leaves it open; firmware never needs more).
    public static let maximumLength = 255

    public var description: String { components.joined(separator: "/") }

    /// Refuses what could leave the root or confuse a lower layer: empty, over-long, NUL, control
    /// characters, backslashes, absolute paths and any `..` component. `.` and repeated `/`
    /// are folded away.
    public init(validating requested: String) throws(BootFilePathError) {
        let bytes = requested.utf8
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= Self.maximumLength else { throw .tooLong(bytes.count) }
        for byte in bytes {
            if byte == 0 { throw .forbiddenCharacter("NUL") }
            if byte == UInt8(ascii: "\\") { throw .forbiddenCharacter("backslash") }
            if byte < 0x20 || byte == 0x7F { throw .forbiddenCharacter("control character") }
        }
        guard bytes.first != UInt8(ascii: "/") else { throw .absolute }
        var components: [String] = []
        for part in requested.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": throw .parentReference
            default: components.append(String(part))
            }
        }
        guard !components.isEmpty else { throw .empty }
        self.components = components
    }
}

/// Why a requested path is refused; every case is an access violation except ``notFound``.
public enum BootFilePathError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong(Int)
    case forbiddenCharacter(String)
    case absolute
    case parentReference
    /// A component is a symbolic link leading outside the root.
    case escapesRoot
    /// Not a regular file (a directory, device, socket…).
    case notRegularFile
    case notFound
    /// Exists but cannot be read (permissions, I/O error).
    case unreadable(String)

    public var description: String {
        switch self {
        case .empty: "empty file name"
        case .tooLong(let length): "file name too long (\(length) bytes, at most \(BootFilePath.maximumLength))"
        case .forbiddenCharacter(let what): "file name contains a \(what)"
        case .absolute: "absolute paths are not served"
        case .parentReference: "\"..\" is not allowed in a path"
        case .escapesRoot: "path leads outside the served root"
        case .notRegularFile: "not a regular file"
        case .notFound: "file not found"
        case .unreadable(let reason): "cannot read file: \(reason)"
        }
    }

    /// Short label for metrics and logs.
    public var reason: String {
        switch self {
        case .notFound: "not_found"
        case .unreadable: "unreadable"
        default: "access_violation"
        }
    }

    public var isNotFound: Bool { self == .notFound }
}
