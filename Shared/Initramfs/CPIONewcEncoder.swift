import Foundation

/// Writes newc headers, names, data and the 4-byte padding after each, in order.
///
/// Header: `070701` then 13 eight-digit uppercase hex fields (ino, mode, uid, gid, nlink, mtime,
/// filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check); the name with its NUL is
/// padded so header + name is a multiple of 4, and so is the data.
struct CPIONewcEncoder {
    static let magic = Array("070701".utf8)
    static let headerBytes = 110
    static let trailerName = "TRAILER!!!"
    /// Host files are copied in chunks of this size.
    static let chunkBytes = 1 << 20

    typealias Sink = ([UInt8]) throws -> Void

    let modificationTime: UInt32
    private var nextInode: UInt32 = 1

    init(modificationTime: UInt32) {
        self.modificationTime = modificationTime
    }

    mutating func encode(_ entry: CPIOEntry, to sink: Sink) throws {
        let inode = nextInode
        nextInode += 1
        switch entry.kind {
        case .directory:
            try sink(header(name: entry.path, inode: inode, mode: entry.mode, nlink: 2, size: 0))
        case .characterDevice(let major, let minor):
            try sink(header(name: entry.path, inode: inode, mode: entry.mode, nlink: 1, size: 0, rdev: (major, minor)))
        case .symlink(let target):
            let data = Array(target.utf8)
            try sink(header(name: entry.path, inode: inode, mode: entry.mode, nlink: 1, size: UInt32(data.count)))
            try sink(data + Self.padding(after: data.count))
        case .file(.bytes(let data)):
            guard let size = UInt32(exactly: data.count) else { throw CPIOError.fileTooLarge(path: entry.path, bytes: UInt64(data.count)) }
            try sink(header(name: entry.path, inode: inode, mode: entry.mode, nlink: 1, size: size))
            try sink(data + Self.padding(after: data.count))
        case .file(.hostFile(let hostPath)):
            try encodeHostFile(entry, hostPath: hostPath, inode: inode, to: sink)
        }
    }

    func finish(to sink: Sink) throws {
        try sink(header(name: Self.trailerName, inode: 0, mode: 0, nlink: 1, size: 0))
    }

    private func encodeHostFile(_ entry: CPIOEntry, hostPath: String, inode: UInt32, to sink: Sink) throws {
        let handle: FileHandle
        let total: UInt64
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: hostPath))
            total = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
        } catch {
            throw CPIOError.unreadableFile(path: entry.path, hostPath: hostPath, reason: "\(error)")
        }
        defer { try? handle.close() }
        guard let size = UInt32(exactly: total) else { throw CPIOError.fileTooLarge(path: entry.path, bytes: total) }
        try sink(header(name: entry.path, inode: inode, mode: entry.mode, nlink: 1, size: size))
        var remaining = Int(size)
        while remaining > 0 {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: min(remaining, Self.chunkBytes)) ?? Data()
            } catch {
                throw CPIOError.unreadableFile(path: entry.path, hostPath: hostPath, reason: "\(error)")
            }
            guard !chunk.isEmpty else { throw CPIOError.fileChangedWhileWriting(path: entry.path, hostPath: hostPath) }
            try sink(Array(chunk))
            remaining -= chunk.count
        }
        try sink(Self.padding(after: Int(size)))
    }

    private func header(name: String, inode: UInt32, mode: UInt32, nlink: UInt32, size: UInt32, rdev: (UInt32, UInt32) = (0, 0)) -> [UInt8] {
        let nameBytes = Array(name.utf8) + [0]
        let fields: [UInt32] = [
            inode, mode, 0, 0, nlink, modificationTime, size,
            0, 0, rdev.0, rdev.1, UInt32(nameBytes.count), 0,
        ]
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerBytes + nameBytes.count + 3)
        for field in fields { bytes += Self.hex8(field) }
        bytes += nameBytes
        bytes += Self.padding(after: bytes.count)
        return bytes
    }

    static func hex8(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return (0..<8).reversed().map { digits[Int((value >> (UInt32($0) * 4)) & 0xF)] }
    }

    static func padding(after count: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: (4 - count % 4) % 4)
    }
}
