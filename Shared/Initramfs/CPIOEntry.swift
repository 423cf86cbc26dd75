/// What one cpio entry is: the kinds an initramfs needs, no hard links.
public enum CPIOEntryKind: Sendable, Equatable {
    case directory
    case file(CPIOFileContents)
    case symlink(target: String)
    case characterDevice(major: UInt32, minor: UInt32)

    /// The `S_IF*` type bits of `st_mode`.
    var typeBits: UInt32 {
        switch self {
        case .directory: 0o040000
        case .file: 0o100000
        case .symlink: 0o120000
        case .characterDevice: 0o020000
        }
    }
}

/// A regular file's bytes: in memory, or a host file read only when the archive is written, so a
/// large binary is streamed instead of held in memory.
public enum CPIOFileContents: Sendable, Equatable {
    case bytes([UInt8])
    case hostFile(path: String)
}

/// One entry as added: its archive path (relative, no leading `/`), kind and permission bits.
public struct CPIOEntry: Sendable, Equatable {
    /// The path inside the archive, e.g. `lib/modules/6.1.0-1-amd64/kernel/net/core/failover.ko`.
    public let path: String
    public let kind: CPIOEntryKind
    /// Permission bits only (`0o7777` at most); the type bits come from `kind`.
    public let permissions: UInt32

    public init(path: String, kind: CPIOEntryKind, permissions: UInt32) {
        self.path = path
        self.kind = kind
        self.permissions = permissions
    }

    /// The full `st_mode`: type bits and permissions.
    public var mode: UInt32 { kind.typeBits | (permissions & 0o7777) }
}

/// Why an entry cannot go into the archive.
public enum CPIOError: Error, Equatable, CustomStringConvertible {
    case invalidPath(String, reason: String)
    case nameTooLong(String, bytes: Int)
    case duplicatePath(String)
    case parentNotDirectory(path: String, parent: String)
    case invalidSymlinkTarget(path: String, target: String)
    case invalidPermissions(path: String, permissions: UInt32)
    case fileTooLarge(path: String, bytes: UInt64)
    case unreadableFile(path: String, hostPath: String, reason: String)
    case fileChangedWhileWriting(path: String, hostPath: String)

    public var description: String {
        switch self {
        case .invalidPath(let path, let reason): "cpio: invalid path \"\(path)\": \(reason)"
        case .nameTooLong(let path, let bytes): "cpio: name of \(bytes) bytes is longer than \(CPIOPath.maximumNameBytes): \(path.prefix(80))…"
        case .duplicatePath(let path): "cpio: \(path) is added twice"
        case .parentNotDirectory(let path, let parent): "cpio: \(path) needs \(parent) to be a directory, but it is not"
        case .invalidSymlinkTarget(let path, let target): "cpio: symlink \(path) has an invalid target \"\(target)\""
        case .invalidPermissions(let path, let permissions): "cpio: \(path): permissions 0o\(String(permissions, radix: 8)) exceed 0o7777"
        case .fileTooLarge(let path, let bytes): "cpio: \(path) has \(bytes) bytes; newc sizes stop at 4 GiB"
        case .unreadableFile(let path, let hostPath, let reason): "cpio: cannot read \(hostPath) for \(path): \(reason)"
        case .fileChangedWhileWriting(let path, let hostPath): "cpio: \(hostPath) (for \(path)) changed size while it was being written"
        }
    }
}
