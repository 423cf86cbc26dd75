#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A served file, opened and checked: its content is either held in memory (small files, shared by
/// every transfer) or read on demand from an open descriptor.
public struct BootFile: Sendable {
    /// The normalised path under the root, e.g. `ipxe.efi`.
    public let path: BootFilePath
    public let size: Int
    /// Modification time, seconds since 1970 (for HTTP Last-Modified / ETag).
    public let modificationTime: Int
    /// Device and inode, for a stable ETag.
    public let identity: BootFileIdentity
    public let content: Content

    public enum Content: Sendable {
        case memory([UInt8])
        case descriptor(OpenFileDescriptor)
    }

    /// `length` bytes at `offset`; both must lie within the file.
    public func bytes(at offset: Int, length: Int) throws(BootFileReadError) -> [UInt8] {
        switch content {
        case .memory(let bytes):
            return Array(bytes[offset..<(offset + length)])
        case .descriptor(let file):
            return try file.read(at: offset, length: length)
        }
    }

    /// The whole file (for netascii conversion or small HTTP answers).
    public func allBytes() throws(BootFileReadError) -> [UInt8] {
        switch content {
        case .memory(let bytes): return bytes
        case .descriptor(let file): return size == 0 ? [] : try file.read(at: 0, length: size)
        }
    }
}

/// (device, inode, size, mtime): what decides whether a cached copy is still the file on disk.
public struct BootFileIdentity: Sendable, Hashable {
    public let device: UInt64
    public let inode: UInt64
    public let size: Int
    public let modificationNanoseconds: Int

    public var etag: String { "\"\(String(inode, radix: 16))-\(String(size, radix: 16))-\(String(modificationNanoseconds, radix: 16))\"" }
}

public struct BootFileReadError: Error, Sendable, CustomStringConvertible {
    public let errno: Int32
    public var description: String { "read failed: \(String(cString: strerror(errno)))" }
}

/// A read-only descriptor closed when the last transfer using it lets go.
public final class OpenFileDescriptor: Sendable {
    public let fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Reads exactly `length` bytes at `offset` (pread: no shared file position, safe across threads).
    public func read(at offset: Int, length: Int) throws(BootFileReadError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let count = result.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, length - done, off_t(offset + done))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw BootFileReadError(errno: errno)
            }
            if count == 0 { throw BootFileReadError(errno: EIO) }  // truncated under us
            done += count
        }
        return result
    }
}
