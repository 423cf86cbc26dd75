#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The directory tftpd serves over TFTP and bootd under `/tftp/` over HTTP: path checks, opening,
/// and an in-memory copy of small files shared by every transfer.
public final class BootFileRoot: Sendable {
    /// The root as configured.
    public let directory: String
    /// Its canonical path (symlinks resolved), what every served file must lie under.
    public let canonicalDirectory: String
    /// Files up to this size are read once and served from memory.
    public let memoryFileLimit: Int
    /// Total bytes the memory copies may take; beyond it files are read from disk.
    public let memoryBudget: Int

    private struct CachedFile: Sendable {
        let identity: BootFileIdentity
        let bytes: [UInt8]
    }

    private struct Cache: Sendable {
        var files: [String: CachedFile] = [:]
        var bytes = 0
    }

    private let cache = Mutex(Cache())

    public init(directory: String, memoryFileLimit: Int = 64 << 20, memoryBudget: Int = 512 << 20) throws(BootFileRootError) {
        self.directory = directory
        guard let canonical = Self.canonicalPath(directory) else {
            throw BootFileRootError(directory: directory, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        guard stat(canonical, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw BootFileRootError(directory: directory, reason: "not a directory")
        }
        self.canonicalDirectory = canonical
        self.memoryFileLimit = memoryFileLimit
        self.memoryBudget = memoryBudget
    }

    /// Checks and opens a requested path (see ``BootFilePath``).
    public func open(_ requested: String) throws(BootFilePathError) -> BootFile {
        try open(BootFilePath(validating: requested))
    }

    /// Opens a file under the root. Symbolic links are followed only while they stay inside it.
    public func open(_ path: BootFilePath) throws(BootFilePathError) -> BootFile {
        let resolved = try resolve(path)
        let fd = Glibc.open(resolved, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .notFound }
            if code == ELOOP { throw .escapesRoot }
            throw .unreadable(String(cString: strerror(code)))
        }
        let descriptor = OpenFileDescriptor(fd: fd)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegularFile }
        let identity = BootFileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int(info.st_size),
            modificationNanoseconds: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
        let modificationTime = Int(info.st_mtim.tv_sec)
        let content: BootFile.Content
        if let bytes = cachedBytes(resolved, identity: identity, descriptor: descriptor) {
            content = .memory(bytes)
        } else {
            content = .descriptor(descriptor)
        }
        return BootFile(path: path, size: identity.size, modificationTime: modificationTime, identity: identity, content: content)
    }

    /// The file's real path after symbolic links, checked to stay inside the root (for callers
    /// that serve it themselves, such as bootd's `/tftp/` with sendfile).
    public func resolve(_ path: BootFilePath) throws(BootFilePathError) -> String {
        let joined = canonicalDirectory + "/" + path.description
        guard let resolved = Self.canonicalPath(joined) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .notFound }
            throw .unreadable(String(cString: strerror(code)))
        }
        guard resolved.hasPrefix(canonicalDirectory == "/" ? "/" : canonicalDirectory + "/") else { throw .escapesRoot }
        return resolved
    }

    /// The cached copy when it is still the file on disk; otherwise reads and caches a small file.
    private func cachedBytes(_ key: String, identity: BootFileIdentity, descriptor: OpenFileDescriptor) -> [UInt8]? {
        if let hit = cache.withLock({ $0.files[key] }), hit.identity == identity { return hit.bytes }
        guard identity.size <= memoryFileLimit else { return nil }
        guard let bytes = try? (identity.size == 0 ? [] : descriptor.read(at: 0, length: identity.size)) else { return nil }
        cache.withLock { cache in
            if let old = cache.files.removeValue(forKey: key) { cache.bytes -= old.bytes.count }
            // A simple budget: when full, start over rather than track recency; boot roots are small.
            if cache.bytes + bytes.count > memoryBudget { cache.files.removeAll(); cache.bytes = 0 }
            cache.files[key] = CachedFile(identity: identity, bytes: bytes)
            cache.bytes += bytes.count
        }
        return bytes
    }

    /// Every regular file under the root (symlinks included when they stay inside it), sorted by path.
    public func list() -> [BootFileEntry] {
        var entries: [BootFileEntry] = []
        walk(relative: [], into: &entries, depth: 0)
        return entries.sorted { $0.path < $1.path }
    }

    private func walk(relative: [String], into entries: inout [BootFileEntry], depth: Int) {
        guard depth < 16 else { return }
        let directoryPath = ([canonicalDirectory] + relative).joined(separator: "/")
        guard let handle = opendir(directoryPath) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || name.hasPrefix(".") { continue }
            let components = relative + [name]
            guard let path = try? BootFilePath(validating: components.joined(separator: "/")) else { continue }
            let full = canonicalDirectory + "/" + path.description
            guard let resolved = Self.canonicalPath(full),
                  resolved.hasPrefix(canonicalDirectory + "/") else { continue }
            var info = stat()
            guard stat(resolved, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(relative: components, into: &entries, depth: depth + 1)
            case S_IFREG:
                entries.append(BootFileEntry(path: path.description, size: Int(info.st_size), modificationTime: Int(info.st_mtim.tv_sec)))
            default:
                continue
            }
        }
    }

    static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// One file of the root's listing.
public struct BootFileEntry: Sendable, Hashable {
    public let path: String
    public let size: Int
    public let modificationTime: Int
}

public struct BootFileRootError: Error, Sendable, CustomStringConvertible {
    public let directory: String
    public let reason: String
    public var description: String { "boot file root \(directory): \(reason)" }
}
