import Foundation

/// Builds a cpio "newc" (`070701`) archive, the format the Linux kernel unpacks as an initramfs.
///
/// Entries are collected first and written sorted by path, parents before children (missing
/// parents are added as `0755` directories). Every header is deterministic: inode numbers count up
/// in output order, uid/gid are 0, nlink is 1 (2 for directories) and every mtime is
/// `modificationTime`, so the same entries always give the same bytes. Device nodes are entries, so
/// building an archive needs neither root nor mknod.
public struct CPIONewcWriter: Sendable {
    private struct Stored: Sendable {
        var entry: CPIOEntry
        let components: [String]
        /// Added only as some entry's parent; an explicit `addDirectory` may still set its mode.
        var implicit: Bool
    }

    private var entries: [String: Stored] = [:]
    /// The mtime of every entry, in seconds since the epoch (a SOURCE_DATE_EPOCH-like value).
    public let modificationTime: UInt32

    public init(modificationTime: UInt32 = 0) {
        self.modificationTime = modificationTime
    }

    /// Adds a directory (parents are added as needed).
    public mutating func addDirectory(_ path: String, permissions: UInt32 = 0o755) throws {
        try add(CPIOEntry(path: path, kind: .directory, permissions: permissions))
    }

    /// Adds a regular file with the given bytes.
    public mutating func addFile(_ path: String, bytes: [UInt8], permissions: UInt32 = 0o644) throws {
        try add(CPIOEntry(path: path, kind: .file(.bytes(bytes)), permissions: permissions))
    }

    /// Adds a regular file whose content is read from `hostPath` when the archive is written.
    public mutating func addFile(_ path: String, hostPath: String, permissions: UInt32 = 0o644) throws {
        try add(CPIOEntry(path: path, kind: .file(.hostFile(path: hostPath)), permissions: permissions))
    }

    /// Adds a symbolic link; `target` is stored as is (absolute targets resolve inside the initramfs).
    public mutating func addSymlink(_ path: String, target: String) throws {
        try add(CPIOEntry(path: path, kind: .symlink(target: target), permissions: 0o777))
    }

    /// Adds a character device node, e.g. `dev/console` (5, 1) or `dev/null` (1, 3).
    public mutating func addCharacterDevice(_ path: String, major: UInt32, minor: UInt32, permissions: UInt32 = 0o600) throws {
        try add(CPIOEntry(path: path, kind: .characterDevice(major: major, minor: minor), permissions: permissions))
    }

    /// Adds one entry, checking its path, its parents and that it is not there yet.
    public mutating func add(_ entry: CPIOEntry) throws {
        let components = try CPIOPath.components(of: entry.path)
        guard entry.permissions <= 0o7777 else { throw CPIOError.invalidPermissions(path: entry.path, permissions: entry.permissions) }
        if case .symlink(let target) = entry.kind {
            guard !target.isEmpty, !target.utf8.contains(0), target.utf8.count <= CPIOPath.maximumNameBytes else {
                throw CPIOError.invalidSymlinkTarget(path: entry.path, target: target)
            }
        }
        if let existing = entries[entry.path] {
            guard existing.implicit, entry.kind == .directory else { throw CPIOError.duplicatePath(entry.path) }
        }
        try addParents(of: components, for: entry.path)
        entries[entry.path] = Stored(entry: entry, components: components, implicit: false)
    }

    private mutating func addParents(of components: [String], for path: String) throws {
        for depth in 1..<max(components.count, 1) {
            let parent = components[0..<depth].joined(separator: "/")
            if let existing = entries[parent] {
                guard existing.entry.kind == .directory else { throw CPIOError.parentNotDirectory(path: path, parent: parent) }
                continue
            }
            let directory = CPIOEntry(path: parent, kind: .directory, permissions: 0o755)
            entries[parent] = Stored(entry: directory, components: Array(components[0..<depth]), implicit: true)
        }
    }

    /// Every entry in the order it is written: sorted by path, parents first.
    public var sortedEntries: [CPIOEntry] {
        entries.values.sorted { CPIOPath.precedes($0.components, $1.components) }.map(\.entry)
    }

    /// The whole archive in memory (host files are read now).
    public func archive() throws -> [UInt8] {
        var output: [UInt8] = []
        try write { output.append(contentsOf: $0) }
        return output
    }

    /// Streams the archive to `handle`, reading host files in chunks.
    public func write(to handle: FileHandle) throws {
        try write { try handle.write(contentsOf: $0) }
    }

    /// Writes every entry, then the `TRAILER!!!`, through `sink`.
    public func write(_ sink: ([UInt8]) throws -> Void) throws {
        var encoder = CPIONewcEncoder(modificationTime: modificationTime)
        for entry in sortedEntries {
            try encoder.encode(entry, to: sink)
        }
        try encoder.finish(to: sink)
    }
}
