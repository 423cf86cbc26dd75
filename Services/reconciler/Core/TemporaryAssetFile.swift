#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A download's destination: `.<name>.tmp-<random>` beside the final file (same directory, so
/// the rename is atomic), renamed over it only when complete and verified, otherwise removed.
/// A reader of the final name sees the old file or the whole new one, never a part.
/// Used by one task at a time.
final class TemporaryAssetFile {
    let path: String
    let finalPath: String
    private let directory: String
    private var descriptor: Int32
    /// Renamed into place or removed: nothing left to clean up.
    private var settled = false

    static func isTemporary(_ fileName: String) -> Bool {
        fileName.hasPrefix(".") && fileName.contains(".tmp-")
    }

    init(directory: String, finalName: String) throws {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        self.directory = directory
        path = "\(directory)/.\(finalName).tmp-\(random)"
        finalPath = "\(directory)/\(finalName)"
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure("create", path) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure("write", path)
            }
            offset += written
        }
    }

    /// Flushes the bytes to disk, renames over the final name, and flushes the directory so the
    /// rename survives a crash too.
    func commit() throws {
        guard fsync(descriptor) == 0 else { throw Self.failure("fsync", path) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw Self.failure("close", path) }
        guard rename(path, finalPath) == 0 else { throw Self.failure("rename to \(finalPath)", path) }
        settled = true
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Closes and removes the temporary file (after a failure or cancellation).
    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        if !settled {
            unlink(path)
            settled = true
        }
    }

    deinit { discard() }

    private static func failure(_ operation: String, _ path: String) -> AssetFetchError {
        .storage(detail: "\(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
