#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A block device opened for wiping, with the ioctls the wipe uses (linux/fs.h). Blocking calls:
/// the wiper runs each device on its own thread.
struct BlockDevice: ~Copyable {
    // _IOR(0x12, 114, size_t), _IO(0x12, 119), _IO(0x12, 127): see linux/fs.h.
    static let getSize64: UInt = 0x8008_1272
    static let discard: UInt = 0x1277
    static let zeroOut: UInt = 0x127F

    let path: String
    private let fd: Int32

    init(path: String) throws(WipeError) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw WipeError(path, "cannot open for writing: \(String(cString: strerror(errno)))") }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    func size() throws(WipeError) -> UInt64 {
        var size: UInt64 = 0
        guard ioctl(fd, Self.getSize64, &size) == 0 else { throw WipeError(path, "BLKGETSIZE64 failed: \(String(cString: strerror(errno)))") }
        return size
    }

    /// BLKDISCARD or BLKZEROOUT over `range`; false when the device does not support it.
    func rangeIoctl(_ request: UInt, _ range: ByteRange) -> Bool {
        var arguments: [UInt64] = [range.offset, range.length]
        return arguments.withUnsafeMutableBytes { bytes in bytes.baseAddress.map { ioctl(fd, request, $0) } ?? -1 } == 0
    }

    /// Zeroes `range` by writing, for devices without BLKZEROOUT.
    func writeZeros(_ range: ByteRange, buffer: UnsafeRawBufferPointer) throws(WipeError) {
        var offset = range.offset
        while offset < range.end {
            let count = Int(min(UInt64(buffer.count), range.end - offset))
            let written = pwrite(fd, buffer.baseAddress, count, off_t(offset))
            guard written > 0 else { throw WipeError(path, "write at \(offset) failed: \(String(cString: strerror(errno)))") }
            offset += UInt64(written)
        }
    }

    func flush() throws(WipeError) {
        guard fsync(fd) == 0 else { throw WipeError(path, "fsync failed: \(String(cString: strerror(errno)))") }
    }
}

public struct WipeError: Error, CustomStringConvertible {
    public let device: String
    public let message: String

    init(_ device: String, _ message: String) {
        self.device = device
        self.message = message
    }

    public var description: String { "\(device): \(message)" }
}
